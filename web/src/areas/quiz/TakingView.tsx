import { Alert, Badge, Button, Checkbox, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { type QuizAttempt, useSubmitAttempt } from "../../api/quiz";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { usePageTitle } from "../../ui/usePageTitle";
import { isAnswered, learnerQuestion } from "./answers";
import { Hints } from "./Hints";
import { QuestionInput } from "./QuestionInput";
import { QuizTimer } from "./QuizTimer";
import { SaveIndicator } from "./SaveIndicator";
import { SubmitDialog } from "./SubmitDialog";
import { useAutosave } from "./useAutosave";

/**
 * Taking an open attempt: every question on one page, answers saved as they change, the
 * server's clock, and a submit that asks first. When the time runs out the page submits what
 * it has; the server decides what counts, and the result replaces this view.
 */
export function TakingView({
  attempt,
  syncedAt,
  userId,
  onRefresh,
}: {
  attempt: QuizAttempt;
  syncedAt: number;
  userId: string;
  onRefresh: () => void;
}) {
  const { t } = useTranslation("quiz");
  const format = useFormat();
  const title = attempt.quiz.title;
  usePageTitle(title);
  const autosave = useAutosave(attempt, userId, { onClosed: onRefresh, onLocked: onRefresh });
  const submit = useSubmitAttempt(userId, attempt.id);
  const [confirming, setConfirming] = useState(false);
  const [timeUp, setTimeUp] = useState(false);
  const [goTo, setGoTo] = useState<string | null>(null);
  const openConfirm = () => {
    setGoTo(null);
    setConfirming(true);
  };

  const { takePending, resume } = autosave;
  const send = submit.mutate;
  const submitNow = useCallback(() => {
    send(takePending(), { onError: resume });
  }, [send, takePending, resume]);
  const onExpire = useCallback(() => {
    setTimeUp(true);
    setConfirming(false);
    submitNow();
  }, [submitNow]);

  const numbered = attempt.questions.map((q, i) => ({ served: q, number: i + 1 }));
  const unanswered = numbered
    .filter(({ served }) => !served.locked && !isAnswered(autosave.answers[served.id]))
    .map(({ served, number }) => ({ number, id: served.id }));
  const marked = numbered
    .filter(({ served }) => autosave.marks[served.id])
    .map(({ number }) => number);
  const totalSeconds =
    attempt.deadlineAt !== null
      ? Math.max(1, (Date.parse(attempt.deadlineAt) - Date.parse(attempt.startedAt)) / 1000)
      : 0;

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{title}</Title>
        <Text c="dimmed">
          {t("take.subtitle", {
            number: attempt.attemptNumber,
            count: attempt.questions.length,
            started: format.dateTime(attempt.startedAt),
          })}
        </Text>
      </Stack>
      <Paper
        withBorder
        p="sm"
        radius="md"
        pos="sticky"
        top="calc(var(--app-shell-header-height, 60px) + 0.5rem)"
        style={{ zIndex: 10 }}
        component="section"
        aria-label={t("take.statusBar")}
      >
        <Group justify="space-between" gap="sm">
          {attempt.deadlineAt !== null && attempt.secondsLeft !== null ? (
            <QuizTimer
              secondsLeft={attempt.secondsLeft}
              syncedAt={syncedAt}
              totalSeconds={totalSeconds}
              onExpire={onExpire}
            />
          ) : (
            <Text size="sm">{t("timer.none")}</Text>
          )}
          <SaveIndicator state={autosave.state} onRetry={autosave.retry} />
          <Button onClick={openConfirm} disabled={submit.isPending || timeUp}>
            {t("submit.open")}
          </Button>
        </Group>
      </Paper>
      {timeUp && (
        <Alert color="orange" variant="light" role="alert">
          <Stack gap="xs">
            <Text size="sm" fw={700}>
              {t("timer.upTitle")}
            </Text>
            <Text size="sm">{t("timer.upBody")}</Text>
            {submit.isError && (
              <>
                <ApiErrorAlert error={submit.error} />
                <Button w="fit-content" onClick={submitNow} loading={submit.isPending}>
                  {t("submit.retry")}
                </Button>
              </>
            )}
          </Stack>
        </Alert>
      )}
      {attempt.quiz.instructions && (
        <Text style={{ whiteSpace: "pre-line" }}>{attempt.quiz.instructions}</Text>
      )}
      {!attempt.allowBackNavigation && (
        <Alert color="blue" variant="light">
          <Text size="sm">{t("take.noBack")}</Text>
        </Alert>
      )}
      <Stack gap="md" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {numbered.map(({ served, number }) => {
          const question = learnerQuestion(served);
          const answered = isAnswered(autosave.answers[served.id]);
          return (
            <Paper
              key={served.id}
              component="li"
              withBorder
              p="md"
              radius="md"
              aria-labelledby={`q-${served.id}`}
            >
              <Stack gap="sm">
                <Group justify="space-between" gap="xs">
                  <Title order={2} size="h4" id={`q-${served.id}`} tabIndex={-1}>
                    {t("take.questionNumber", { number })}
                  </Title>
                  <Group gap="xs">
                    {question && question.points > 0 && (
                      <Text size="sm" c="dimmed">
                        {t("take.points", { count: question.points })}
                      </Text>
                    )}
                    {served.locked ? (
                      <Badge color="gray.7" variant="outline">
                        {t("take.locked")}
                      </Badge>
                    ) : answered ? (
                      <Badge color="teal.9" variant="outline">
                        {t("take.answered")}
                      </Badge>
                    ) : (
                      <Badge color="gray.7" variant="outline">
                        {t("take.notAnswered")}
                      </Badge>
                    )}
                  </Group>
                </Group>
                {question ? (
                  <QuestionInput
                    id={served.id}
                    question={question}
                    response={autosave.answers[served.id] ?? null}
                    onChange={(response) => autosave.setAnswer(served.id, response)}
                    disabled={served.locked || submit.isPending || timeUp}
                  />
                ) : (
                  <Text c="dimmed">{t("take.unsupported")}</Text>
                )}
                {question?.hints && !served.locked && <Hints hints={question.hints} />}
                {!served.locked && (
                  <Checkbox
                    size="xs"
                    label={t("take.markForReview")}
                    checked={autosave.marks[served.id] ?? false}
                    onChange={(event) => autosave.setMark(served.id, event.currentTarget.checked)}
                    disabled={submit.isPending || timeUp}
                  />
                )}
              </Stack>
            </Paper>
          );
        })}
      </Stack>
      <Group justify="flex-end">
        <Button size="md" onClick={openConfirm} disabled={submit.isPending || timeUp}>
          {t("submit.open")}
        </Button>
      </Group>
      <SubmitDialog
        opened={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={submitNow}
        onGoTo={(questionId) => {
          setGoTo(`q-${questionId}`);
          setConfirming(false);
        }}
        focusAfter={goTo}
        unanswered={unanswered}
        marked={marked}
        submitting={submit.isPending}
        error={timeUp ? null : submit.error}
      />
    </Stack>
  );
}
