import { Anchor, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError } from "../../api/errors";
import { useAttempt, useRefreshAttempt } from "../../api/quiz";
import { useSignedInMe } from "../../app/RequireAuth";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { ResultView } from "./ResultView";
import { TakingView } from "./TakingView";

/** Someone else's attempt, an unknown one, or an address that is no attempt id. */
function isRefused(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.status === 404 ||
      error.status === 403 ||
      (error.status === 400 && error.field === "attemptId"))
  );
}

function AttemptRefused() {
  const { t } = useTranslation("quiz");
  usePageTitle(t("refused.title"));
  return (
    <Stack gap="md" maw={560}>
      <Title order={1}>{t("refused.title")}</Title>
      <Text>{t("refused.body")}</Text>
      <Anchor component={Link} to="/">
        {t("refused.home")}
      </Anchor>
    </Stack>
  );
}

function AttemptSkeleton() {
  return (
    <Stack gap="lg" aria-hidden>
      <Skeleton height={36} width="50%" />
      <Skeleton height={56} radius="md" />
      <Skeleton height={160} radius="md" />
      <Skeleton height={160} radius="md" />
    </Stack>
  );
}

/**
 * `/attempts/:attemptId`, also the link the server mails with a result: while the attempt is
 * open it is where the quiz is taken; once closed it shows the result. One request: the
 * attempt comes with its quiz's title and rules.
 */
export function AttemptPage() {
  const { attemptId = "" } = useParams();
  const me = useSignedInMe();
  const attempt = useAttempt(me.user.id, attemptId);
  const refresh = useRefreshAttempt(me.user.id, attemptId);
  // Whether this page showed the attempt open: its result then replaces the questions (after
  // submitting, or when time ran out) and takes focus, which was on a control now gone.
  const [taken, setTaken] = useState(false);
  if (attempt.data?.status === "in-progress" && !taken) setTaken(true);
  if (attempt.isError && isRefused(attempt.error)) return <AttemptRefused />;
  return (
    <PageState query={attempt} pending={<AttemptSkeleton />}>
      {(data) =>
        data.status === "in-progress" ? (
          <TakingView
            key={data.id}
            attempt={data}
            syncedAt={attempt.dataUpdatedAt}
            userId={me.user.id}
            onRefresh={() => void refresh()}
          />
        ) : (
          <ResultView attempt={data} focusHeading={taken} />
        )
      }
    </PageState>
  );
}
