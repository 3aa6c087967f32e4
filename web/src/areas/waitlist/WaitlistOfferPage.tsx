import { Alert, Anchor, Button, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useCourse, useCourseCohorts } from "../../api/catalog";
import {
  useAcceptOffer,
  useDeclineOffer,
  useMyWaitlist,
  type WaitlistEntry,
} from "../../api/enrollment";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";

/** A page whose one h1 says what happened, with its explanation and a way on. */
function Outcome({
  title,
  body,
  to,
  link,
}: {
  title: string;
  body: string;
  to: string;
  link: string;
}) {
  usePageTitle(title);
  return (
    <Stack gap="md" maw={640}>
      <Title order={1}>{title}</Title>
      <Alert variant="light" color="gray" role="status">
        <Text size="sm">{body}</Text>
      </Alert>
      <Anchor component={Link} to={to}>
        {link}
      </Anchor>
    </Stack>
  );
}

/** An open offer: the cohort, the deadline in the person's zone, Accept and Decline. */
function Offer({ entry }: { entry: WaitlistEntry }) {
  const { t } = useTranslation("enrollment");
  const format = useFormat();
  const me = useSignedInMe();
  const course = useCourse(me.user.id, entry.courseId);
  const cohorts = useCourseCohorts(me.user.id, entry.courseId, true);
  const accept = useAcceptOffer(me.user.id);
  const decline = useDeclineOffer(me.user.id);
  const [confirming, setConfirming] = useState(false);
  const title = course.data?.course.title ?? "";
  const cohort = cohorts.data?.find((c) => c.id === entry.cohortId)?.name ?? "";
  const until = entry.offerExpiresAt ?? "";
  const [now] = useState(() => Date.now());
  const expired = until !== "" && new Date(until).getTime() <= now;
  const courseLink = `/courses/${entry.courseId}`;

  if (accept.isSuccess)
    return (
      <Outcome
        title={t("offer.acceptedTitle")}
        body={t("offer.acceptedBody", { course: title })}
        to={courseLink}
        link={t("offer.toCourse")}
      />
    );
  if (decline.isSuccess)
    return (
      <Outcome
        title={t("offer.declinedTitle")}
        body={t("offer.declinedBody")}
        to="/"
        link={t("offer.toMyLearning")}
      />
    );
  if (entry.status === "waiting")
    return (
      <Outcome
        title={t("offer.waitingTitle")}
        body={t("waitlist.position", { position: format.number(entry.position), cohort })}
        to={courseLink}
        link={t("offer.toCourse")}
      />
    );
  if (expired)
    return (
      <Outcome
        title={t("offer.expiredTitle")}
        body={t("offer.expiredBody", { until: format.dateTime(until) })}
        to={courseLink}
        link={t("offer.toCourse")}
      />
    );
  const hoursLeft = Math.max(1, Math.round((new Date(until).getTime() - now) / 3_600_000));
  return (
    <OfferView title={t("offer.title")}>
      <Paper withBorder p="lg" radius="md">
        <Stack gap="md">
          {course.isPending || cohorts.isPending ? (
            <Skeleton height={40} />
          ) : (
            <Text>{t("offer.body", { course: title, cohort, until: format.dateTime(until) })}</Text>
          )}
          {until && (
            <Text size="sm" c="dimmed">
              {t("offer.left", { count: hoursLeft })}
            </Text>
          )}
          {accept.isError && <ApiErrorAlert error={accept.error} />}
          {decline.isError && <ApiErrorAlert error={decline.error} />}
          {confirming && (
            <Text size="sm" fw={600} role="status">
              {t("offer.declineConfirm")}
            </Text>
          )}
          <Group gap="sm">
            {confirming ? (
              <>
                <Button
                  color="red"
                  loading={decline.isPending}
                  onClick={() => decline.mutate(entry)}
                >
                  {t("offer.decline")}
                </Button>
                <Button
                  variant="default"
                  onClick={() => setConfirming(false)}
                  disabled={decline.isPending}
                >
                  {t("offer.accept")}
                </Button>
              </>
            ) : (
              <>
                <Button loading={accept.isPending} onClick={() => accept.mutate(entry)}>
                  {t("offer.accept")}
                </Button>
                <Button
                  variant="default"
                  onClick={() => setConfirming(true)}
                  disabled={accept.isPending}
                >
                  {t("offer.decline")}
                </Button>
              </>
            )}
          </Group>
        </Stack>
      </Paper>
    </OfferView>
  );
}

function OfferView({ title, children }: { title: string; children: React.ReactNode }) {
  usePageTitle(title);
  return (
    <Stack gap="md" maw={640}>
      <Title order={1}>{title}</Title>
      {children}
    </Stack>
  );
}

/**
 * A seat offered from a cohort's waitlist (the link of the offer the server mails and
 * notifies, /waitlist/:entryId): accept or decline it before its 48 hours run out. The
 * person's open places and offers come from GET /waitlist/mine; an entry no longer there was
 * accepted, declined or ran out.
 */
export function WaitlistOfferPage() {
  const { t } = useTranslation("enrollment");
  const { entryId = "" } = useParams();
  const me = useSignedInMe();
  const waitlist = useMyWaitlist(me.user.id);
  // The entry as first found: after accepting or declining it leaves GET /waitlist/mine.
  const [seen, setSeen] = useState<WaitlistEntry | null>(null);
  const current = waitlist.data?.find((w) => w.id === entryId);
  if (current && current !== seen) setSeen(current);
  const entry = current ?? seen;
  if (waitlist.isError)
    return (
      <OfferView title={t("offer.title")}>
        <ApiErrorAlert error={waitlist.error} onRetry={() => void waitlist.refetch()} />
      </OfferView>
    );
  return (
    <PageState
      query={waitlist}
      pending={
        <OfferView title={t("offer.title")}>
          <Skeleton height={160} radius="md" />
        </OfferView>
      }
      isEmpty={() => !entry}
      empty={
        <Outcome
          title={t("offer.goneTitle")}
          body={t("offer.goneBody")}
          to="/"
          link={t("offer.toMyLearning")}
        />
      }
    >
      {() => (entry ? <Offer entry={entry} /> : null)}
    </PageState>
  );
}
