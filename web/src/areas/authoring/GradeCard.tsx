import { Anchor, Badge, Blockquote, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { type ReactNode, useId } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { AiSuggestion, QueueItem, QueueQuestion } from "../../api/grading";
import { useFormat } from "../../i18n/format";
import { GradeForm } from "./GradeForm";
import { GradeSourceText } from "./GradeSourceText";

/** The learner's answer as text: an essay's or short answer's words, else the raw answer. */
function answerText(response: QueueItem["response"]): string {
  if (!response) return "";
  if (typeof response.text === "string") return response.text;
  return JSON.stringify(response);
}

/** Where a course's grader reads and regrades a whole attempt. */
export function attemptPath(courseId: string, attemptId: string): string {
  return `/teaching/courses/${courseId}/attempts/${attemptId}`;
}

/** The card's head and body: who answered, where, the question and the answer. */
function AnswerHeader({
  item,
  headingId,
  where,
  badge,
}: {
  item: QueueItem;
  headingId: string;
  where: string;
  badge?: ReactNode;
}) {
  const { t } = useTranslation("authoring");
  const question = item.question as unknown as QueueQuestion;
  return (
    <>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={2}>
          <Title order={2} size="h4" id={headingId}>
            {t("grading.answerBy", { name: item.learner.name })}
          </Title>
          <Text size="sm" c="dimmed">
            {where}
          </Text>
        </Stack>
        {badge}
      </Group>
      <Text fw={500}>{question.text}</Text>
      <Blockquote p="sm" color="gray" style={{ whiteSpace: "pre-wrap" }}>
        {answerText(item.response) || t("grading.noAnswer")}
      </Blockquote>
    </>
  );
}

/**
 * One answer to grade: the question, the learner's answer, the AI grader's suggestion with its
 * confidence and criteria (when it looked), and the grade — a score per rubric criterion or
 * points — with feedback for the learner (GradeForm). A link opens the whole attempt.
 */
export function GradeCard({ courseId, item }: { courseId: string; item: QueueItem }) {
  const { t } = useTranslation("authoring");
  const format = useFormat();
  const headingId = useId();
  const question = item.question as unknown as QueueQuestion;
  const ai = item.ai as unknown as AiSuggestion | null;
  return (
    <Paper withBorder p="md" radius="md" component="article" aria-labelledby={headingId}>
      <Stack gap="sm">
        <AnswerHeader
          item={item}
          headingId={headingId}
          where={t("grading.where", {
            quiz: item.quizTitle,
            attempt: item.attemptNumber,
            when: item.submittedAt ? format.dateTime(item.submittedAt) : "—",
          })}
          badge={
            <Badge variant="outline" color={item.flaggedForReview ? "grape.9" : "blue.9"}>
              {item.flaggedForReview ? t("grading.flagged") : t("grading.pending")}
            </Badge>
          }
        />
        <GradeForm
          courseId={courseId}
          attemptId={item.attemptId}
          questionId={item.questionId}
          rubric={question.rubric ?? []}
          max={item.maxPoints ?? question.points}
          ai={ai}
          initial={{ points: item.points }}
        />
        <Anchor
          component={Link}
          to={attemptPath(courseId, item.attemptId)}
          size="sm"
          w="fit-content"
        >
          {t("gradebook.queue.openAttempt", { name: item.learner.name })}
        </Anchor>
      </Stack>
    </Paper>
  );
}

/**
 * An answer already graded by a person or the AI grader: its grade, how it was given, and the
 * way to its attempt, where it is regraded.
 */
export function GradedCard({ courseId, item }: { courseId: string; item: QueueItem }) {
  const { t } = useTranslation("authoring");
  const format = useFormat();
  const headingId = useId();
  const question = item.question as unknown as QueueQuestion;
  return (
    <Paper withBorder p="md" radius="md" component="article" aria-labelledby={headingId}>
      <Stack gap="sm">
        <AnswerHeader
          item={item}
          headingId={headingId}
          where={t("gradebook.queue.where", {
            quiz: item.quizTitle,
            attempt: item.attemptNumber,
            when: item.gradedAt ? format.dateTime(item.gradedAt) : "—",
          })}
        />
        <Text size="sm" fw={600}>
          {t("gradebook.points", {
            points: format.number(item.points ?? 0),
            max: format.number(item.maxPoints ?? question.points),
          })}
        </Text>
        <GradeSourceText
          facts={{
            outcome: item.outcome,
            grader: item.gradedBy,
            manualOverride: item.manualOverride,
            flaggedForReview: item.flaggedForReview,
            ai: item.ai as unknown as AiSuggestion | null,
          }}
        />
        <Anchor component={Link} to={attemptPath(courseId, item.attemptId)} w="fit-content">
          {t("gradebook.queue.regrade", { name: item.learner.name })}
        </Anchor>
      </Stack>
    </Paper>
  );
}
