import { Alert, Anchor, Button, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, isNotFound } from "../../api/errors";
import { type QuizSummary, useQuizSummary, useStartAttempt } from "../../api/quiz";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { AttemptHistory } from "./AttemptHistory";

/** A quiz that is not there for this person: unknown, unpublished, or not enrolled. */
function QuizUnavailable({ error }: { error: unknown }) {
  const { t } = useTranslation("quiz");
  const notFound = isNotFound(error, "quizId");
  const title = notFound ? t("quiz.notFoundTitle") : t("quiz.unavailableTitle");
  usePageTitle(title);
  return (
    <Stack gap="md" maw={560}>
      <Title order={1}>{title}</Title>
      {notFound ? <Text>{t("quiz.notFoundBody")}</Text> : <ApiErrorAlert error={error} />}
      <Anchor component={Link} to="/">
        {t("refused.home")}
      </Anchor>
    </Stack>
  );
}

/** The quiz's rules as term and value rows. */
function Rules({ summary }: { summary: QuizSummary }) {
  const { t } = useTranslation("quiz");
  const format = useFormat();
  const quiz = summary.quiz;
  const window =
    quiz.availableFrom && quiz.availableUntil
      ? t("quiz.windowBoth", {
          from: format.dateTime(quiz.availableFrom),
          until: format.dateTime(quiz.availableUntil),
        })
      : quiz.availableFrom
        ? t("quiz.windowFrom", { from: format.dateTime(quiz.availableFrom) })
        : quiz.availableUntil
          ? t("quiz.windowUntil", { until: format.dateTime(quiz.availableUntil) })
          : t("quiz.windowAlways");
  return (
    <dl className="facts">
      <dt>{t("quiz.questions")}</dt>
      <dd>{format.number(quiz.questionCount)}</dd>
      <dt>{t("quiz.attempts")}</dt>
      <dd>
        {quiz.attemptLimit === null
          ? t("quiz.attemptsUnlimited", { used: summary.attemptsUsed })
          : t("quiz.attemptsOf", { used: summary.attemptsUsed, limit: quiz.attemptLimit })}
      </dd>
      <dt>{t("quiz.timeLimit")}</dt>
      <dd>
        {quiz.timeLimitMinutes === null
          ? t("quiz.noTimeLimit")
          : format.duration(quiz.timeLimitMinutes)}
      </dd>
      <dt>{t("quiz.window")}</dt>
      <dd>{window}</dd>
      <dt>{t("quiz.passingScore")}</dt>
      <dd>{format.percent(quiz.passingScore)}</dd>
      <dt>{t("quiz.answersShown")}</dt>
      <dd>
        {t(`quiz.policy.${quiz.showCorrectAnswers}`, { defaultValue: quiz.showCorrectAnswers })}
      </dd>
    </dl>
  );
}

/** Start, resume, or why not now. */
function StartPanel({ summary }: { summary: QuizSummary }) {
  const { t } = useTranslation("quiz");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const start = useStartAttempt(me.user.id, summary.quiz.id);
  if (summary.openAttemptId) {
    return (
      <Stack gap="xs">
        <Text size="sm">{t("quiz.openAttempt")}</Text>
        <Button component={Link} to={`/attempts/${summary.openAttemptId}`} w="fit-content">
          {t("quiz.resume")}
        </Button>
      </Stack>
    );
  }
  if (!summary.canStart) {
    const blocked = summary.blockedBy;
    return (
      <Alert color="yellow" variant="light" role="status">
        <Text size="sm">
          {blocked
            ? errorMessage(t, new ApiError(409, blocked.code, blocked.message))
            : t("quiz.cannotStart")}
        </Text>
      </Alert>
    );
  }
  return (
    <Stack gap="xs">
      {summary.quiz.timeLimitMinutes !== null && <Text size="sm">{t("quiz.timedNote")}</Text>}
      {start.isError && <ApiErrorAlert error={start.error} />}
      <Button
        w="fit-content"
        loading={start.isPending}
        onClick={() =>
          start.mutate(undefined, {
            onSuccess: (attempt) => navigate(`/attempts/${attempt.id}`),
          })
        }
      >
        {summary.attemptsUsed > 0 ? t("quiz.startAgain") : t("quiz.start")}
      </Button>
    </Stack>
  );
}

function QuizView({ summary }: { summary: QuizSummary }) {
  const { t } = useTranslation("quiz");
  const format = useFormat();
  const quiz = summary.quiz;
  usePageTitle(quiz.title);
  return (
    <Stack gap="lg" maw={860}>
      <Anchor component={Link} to={`/courses/${quiz.courseId}`} size="sm">
        {t("quiz.backToCourse")}
      </Anchor>
      <Stack gap="xs">
        <Title order={1}>{quiz.title}</Title>
        {quiz.description && <Text style={{ whiteSpace: "pre-line" }}>{quiz.description}</Text>}
      </Stack>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="quiz-rules">
        <Stack gap="sm">
          <Title order={2} size="h3" id="quiz-rules">
            {t("quiz.rulesTitle")}
          </Title>
          <Rules summary={summary} />
          {quiz.instructions && (
            <Text size="sm" style={{ whiteSpace: "pre-line" }}>
              {quiz.instructions}
            </Text>
          )}
          {summary.standing?.bestScore != null && (
            <Text size="sm">
              {t(summary.standing.passed ? "quiz.standingPassed" : "quiz.standingBest", {
                score: format.percent(summary.standing.bestScore),
              })}
            </Text>
          )}
          <StartPanel summary={summary} />
        </Stack>
      </Paper>
      <AttemptHistory attempts={summary.attempts} />
    </Stack>
  );
}

function QuizSkeleton() {
  return (
    <Stack gap="lg" aria-hidden maw={860}>
      <Skeleton height={16} width={160} />
      <Skeleton height={36} width="60%" />
      <Skeleton height={220} radius="md" />
      <Skeleton height={120} radius="md" />
    </Stack>
  );
}

/** `/quizzes/:quizId`: a quiz's rules, the learner's attempts, and the way to start or resume. */
export function QuizPage() {
  const { quizId = "" } = useParams();
  const me = useSignedInMe();
  const summary = useQuizSummary(me.user.id, quizId);
  const refused =
    summary.error instanceof ApiError && summary.error.status >= 400 && summary.error.status < 500;
  if (summary.isError && refused) return <QuizUnavailable error={summary.error} />;
  return (
    <PageState query={summary} pending={<QuizSkeleton />}>
      {(data) => <QuizView summary={data} />}
    </PageState>
  );
}
