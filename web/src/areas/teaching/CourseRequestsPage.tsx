import { Anchor, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useCourse } from "../../api/catalog";
import { ApiError, isNotFound } from "../../api/errors";
import { type CourseRequest, useCourseRequests, useDecideRequest } from "../../api/teaching";
import { useSignedInMe } from "../../app/RequireAuth";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { DecidedRequest, nameOf, PendingRequest } from "./RequestCards";

function refusalOf(error: unknown): "forbidden" | "notFound" | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 403) return "forbidden";
  if (isNotFound(error, "courseId")) return "notFound";
  return null;
}

/** The page for people who may not review the course's requests, or for an unknown course. */
function Refused({ kind, courseId }: { kind: "forbidden" | "notFound"; courseId: string }) {
  const { t } = useTranslation("teaching");
  const title = kind === "forbidden" ? t("requests.refusedTitle") : t("requests.notFoundTitle");
  return (
    <Stack gap="md" maw={560}>
      <Title order={1}>{title}</Title>
      <Text>{kind === "forbidden" ? t("requests.refusedBody") : t("requests.notFoundBody")}</Text>
      {kind === "forbidden" ? (
        <Anchor component={Link} to={`/courses/${courseId}`}>
          {t("requests.toCourse")}
        </Anchor>
      ) : (
        <Anchor component={Link} to="/catalog">
          {t("requests.toCatalog")}
        </Anchor>
      )}
    </Stack>
  );
}

/**
 * A course's enrollment requests (`/courses/:courseId/requests`, the link mailed to the
 * instructor when a learner asks to join): the waiting ones, oldest first, to approve or
 * decline with a reason, and the decided ones below them.
 */
export function CourseRequestsPage() {
  const { t } = useTranslation("teaching");
  const { courseId = "" } = useParams();
  const me = useSignedInMe();
  const requests = useCourseRequests(me.user.id, courseId);
  const course = useCourse(me.user.id, courseId);
  const refusal = refusalOf(requests.error);
  usePageTitle(
    refusal === "forbidden"
      ? t("requests.refusedTitle")
      : refusal === "notFound"
        ? t("requests.notFoundTitle")
        : t("requests.title"),
  );
  if (refusal) return <Refused kind={refusal} courseId={courseId} />;
  return (
    <Stack gap="lg" maw={800}>
      <Stack gap={4}>
        <Title order={1}>{t("requests.title")}</Title>
        {course.data ? (
          <Anchor component={Link} to={`/courses/${courseId}`}>
            {t("requests.course", { course: course.data.course.title })}
          </Anchor>
        ) : (
          course.isPending && <Skeleton height={20} width={240} />
        )}
        <Text c="dimmed">{t("requests.intro")}</Text>
      </Stack>
      <PageState query={requests} pending={<Skeleton height={200} radius="md" />}>
        {(data) => <RequestLists courseId={courseId} requests={data.items} />}
      </PageState>
    </Stack>
  );
}

function RequestLists({ courseId, requests }: { courseId: string; requests: CourseRequest[] }) {
  const { t } = useTranslation("teaching");
  const me = useSignedInMe();
  const decide = useDecideRequest(me.user.id, courseId);
  const [announced, setAnnounced] = useState("");
  const pending = requests.filter((r) => r.status === "pending");
  const decided = requests
    .filter((r) => r.status !== "pending")
    .sort((a, b) => (b.reviewedAt ?? b.createdAt).localeCompare(a.reviewedAt ?? a.createdAt));

  return (
    <Stack gap="lg">
      <Text size="sm" role="status" aria-live="polite">
        {announced}
      </Text>
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t("requests.pending")}
        </Title>
        {pending.length === 0 ? (
          <EmptyState
            headingLevel={3}
            title={t("requests.emptyTitle")}
            reason={t("requests.emptyReason")}
          />
        ) : (
          <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
            {pending.map((request) => (
              <PendingRequest
                key={request.id}
                request={request}
                busy={decide.isPending}
                error={decide.variables?.requestId === request.id ? decide.error : null}
                onDecide={(decision, notes) => {
                  setAnnounced("");
                  decide.mutate(
                    { requestId: request.id, decision, notes },
                    {
                      onSuccess: () =>
                        setAnnounced(
                          t(decision === "approve" ? "requests.approved" : "requests.declined", {
                            name: nameOf(request),
                          }),
                        ),
                    },
                  );
                }}
              />
            ))}
          </Stack>
        )}
      </Stack>
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t("requests.decided")}
        </Title>
        {decided.length === 0 ? (
          <Text c="dimmed">{t("requests.noDecided")}</Text>
        ) : (
          <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
            {decided.map((request) => (
              <DecidedRequest key={request.id} request={request} />
            ))}
          </Stack>
        )}
      </Stack>
    </Stack>
  );
}
