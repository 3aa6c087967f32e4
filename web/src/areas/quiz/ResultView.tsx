import { Alert, Anchor, Badge, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { QuizAttempt } from "../../api/quiz";
import { useFormat } from "../../i18n/format";
import { usePageTitle } from "../../ui/usePageTitle";
import { AnswerReview } from "./AnswerReview";

/**
 * A closed attempt as its learner may see it: score and pass, what still waits for a grader,
 * why it ended (time up), and each answer — with outcomes and right answers only when the
 * quiz's answer policy lets the API send them.
 */
export function ResultView({
  attempt,
  focusHeading = false,
}: {
  attempt: QuizAttempt;
  /** Moves focus to the heading once shown (the result replaced the attempt being taken). */
  focusHeading?: boolean;
}) {
  const { t } = useTranslation("quiz");
  const format = useFormat();
  const title = attempt.quiz.title;
  usePageTitle(t("result.pageTitle", { title }));
  const pending = attempt.pendingManual > 0;
  const policy = attempt.quiz.showCorrectAnswers;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusHeading) heading.current?.focus();
  }, [focusHeading]);
  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/quizzes/${attempt.quizId}`} size="sm">
        {t("result.back")}
      </Anchor>
      <Stack gap={4}>
        <Title order={1} ref={heading} tabIndex={-1}>
          {title}
        </Title>
        <Text c="dimmed">
          {t("result.subtitle", {
            number: attempt.attemptNumber,
            date: format.dateTime(attempt.submittedAt ?? attempt.startedAt),
          })}
        </Text>
      </Stack>
      {attempt.endReason === "time-expired" && (
        // The message is the alert's body, not its title: a tinted title is too faint to read.
        <Alert color="orange" variant="light">
          <Stack gap={4}>
            <Text size="sm" fw={700}>
              {t("result.timeExpiredTitle")}
            </Text>
            <Text size="sm">
              {t("result.timeExpired")}
              {attempt.lateAnswersIgnored ? ` ${t("result.lateIgnored")}` : ""}
            </Text>
          </Stack>
        </Alert>
      )}
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="result-score">
        <Stack gap="sm">
          <Title order={2} size="h3" id="result-score">
            {t("result.scoreTitle")}
          </Title>
          <Group gap="md" role="status">
            <Text size="xl" fw={700}>
              {attempt.score === null ? "—" : format.percent(attempt.score)}
            </Text>
            {attempt.passed === true && (
              <Badge color="teal.9" variant="filled" size="lg">
                {t("result.passed")}
              </Badge>
            )}
            {attempt.passed === false && !pending && (
              <Badge color="red.9" variant="filled" size="lg">
                {t("result.notPassed")}
              </Badge>
            )}
            {pending && (
              <Badge color="blue.9" variant="filled" size="lg">
                {t("result.pendingBadge")}
              </Badge>
            )}
          </Group>
          <dl className="facts">
            {attempt.pointsEarned !== null && attempt.pointsPossible !== null && (
              <>
                <dt>{t("result.points")}</dt>
                <dd>
                  {t("result.pointsValue", {
                    earned: format.number(attempt.pointsEarned),
                    possible: format.number(attempt.pointsPossible),
                  })}
                </dd>
              </>
            )}
            <dt>{t("quiz.passingScore")}</dt>
            <dd>{format.percent(attempt.quiz.passingScore)}</dd>
          </dl>
          {pending && (
            <Text size="sm">{t("result.pending", { count: attempt.pendingManual })}</Text>
          )}
          {attempt.feedback && (
            <Text size="sm">
              <Text span fw={600} size="sm">
                {t("review.feedback")}{" "}
              </Text>
              {attempt.feedback}
            </Text>
          )}
        </Stack>
      </Paper>
      <Stack gap="sm" component="section" aria-labelledby="result-answers">
        <Title order={2} size="h3" id="result-answers">
          {t("result.answersTitle")}
        </Title>
        {!attempt.answersRevealed && (
          <Text size="sm" c="dimmed">
            {t(`result.hidden.${policy}`, { defaultValue: t("result.hidden.never") })}
          </Text>
        )}
        <Stack gap="md" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {attempt.questions.map((served, i) => (
            <Paper key={served.id} component="li" withBorder p="md" radius="md">
              <AnswerReview served={served} number={i + 1} />
            </Paper>
          ))}
        </Stack>
      </Stack>
    </Stack>
  );
}
