import { Badge, Group, List, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { AnswerResponse, ServedQuestion } from "../../api/quiz";
import { useFormat } from "../../i18n/format";
import { type AnswerKey, isAnswered, type LearnerQuestion, learnerQuestion } from "./answers";

const OUTCOME_COLOR: Record<string, string> = {
  correct: "teal.9",
  partial: "grape.9",
  incorrect: "red.9",
  unanswered: "gray.7",
  "needs-grading": "blue.9",
  ungraded: "gray.7",
};

/** A response in words: the chosen options' texts, the text, each blank, each pair. */
function responseLines(
  question: LearnerQuestion,
  response: AnswerResponse,
  t: (key: string, options?: Record<string, unknown>) => string,
): string[] {
  const option = (id: string) => question.options?.find((o) => o.id === id)?.text ?? id;
  const right = (id: string) => question.right?.find((r) => r.id === id)?.text ?? id;
  switch (question.type) {
    case "multiple-choice":
    case "multiple-select":
      return (response.selected ?? []).map(option);
    case "true-false":
      return response.value === undefined
        ? []
        : [response.value ? t("take.true") : t("take.false")];
    case "short-answer":
    case "essay":
      return response.text ? [response.text] : [];
    case "fill-blank":
      return (response.blanks ?? []).map((b, i) =>
        t("review.blankAnswer", { number: i + 1, answer: b || "—" }),
      );
    case "matching":
      return (question.left ?? []).map((l) =>
        t("review.pair", {
          left: l.text,
          right: response.matches?.[l.id] ? right(response.matches[l.id] as string) : "—",
        }),
      );
    case "rating-scale":
      return response.rating === undefined
        ? []
        : [question.labels?.[String(response.rating)] ?? String(response.rating)];
    default:
      return [];
  }
}

/** The right answer in words, from the key the API revealed. */
function keyLines(
  question: LearnerQuestion,
  key: AnswerKey,
  t: (key: string, options?: Record<string, unknown>) => string,
): string[] {
  const option = (id: string) => question.options?.find((o) => o.id === id)?.text ?? id;
  const right = (id: string) => question.right?.find((r) => r.id === id)?.text ?? id;
  if (key.correctOptionIds) return key.correctOptionIds.map(option);
  if (key.correct !== undefined) return [key.correct ? t("take.true") : t("take.false")];
  if (key.accepted) return [key.accepted.join(" / ")];
  if (key.blanks)
    return key.blanks.map((accepted, i) =>
      t("review.blankAnswer", { number: i + 1, answer: accepted.join(" / ") }),
    );
  if (key.pairs)
    return (question.left ?? []).map((l) =>
      t("review.pair", {
        left: l.text,
        right: key.pairs?.[l.id] ? right(key.pairs[l.id] as string) : "—",
      }),
    );
  if (key.rubric)
    return key.rubric.map((c) =>
      t("review.criterion", { description: c.description, count: c.points }),
    );
  return [];
}

/**
 * One question of a closed attempt: the learner's answer, and — only when the API sends them
 * (the quiz's answer policy) — the outcome, points, right answer and explanation. A grader's
 * comment shows whenever there is one. The course's graders see it too (authoring's attempt
 * page), with their own name for the answer (`answerLabel`).
 */
export function AnswerReview({
  served,
  number,
  answerLabel,
}: {
  served: ServedQuestion;
  number: number;
  /** What the answer is called; "Your answer" unless given. */
  answerLabel?: string;
}) {
  const { t } = useTranslation("quiz");
  const format = useFormat();
  const question = learnerQuestion(served);
  const response = served.response as AnswerResponse | null;
  const key = served.key as AnswerKey | undefined;
  const result = served.result;
  if (!question) return <Text c="dimmed">{t("take.unsupported")}</Text>;
  const mine = response && isAnswered(response) ? responseLines(question, response, t) : [];
  const right = key ? keyLines(question, key, t) : [];
  return (
    <Stack gap="xs">
      <Group justify="space-between" gap="xs">
        <Text fw={600} id={`r-${served.id}`}>
          {t("take.questionNumber", { number })}
        </Text>
        {result?.outcome && (
          <Group gap="xs">
            <Badge color={OUTCOME_COLOR[result.outcome] ?? "gray.7"} variant="outline">
              {t(`review.outcome.${result.outcome}`)}
            </Badge>
            {result.points !== null && result.maxPoints !== null && (
              <Text size="sm">
                {t("review.points", {
                  points: format.number(result.points),
                  max: format.number(result.maxPoints),
                })}
              </Text>
            )}
          </Group>
        )}
      </Group>
      <Text style={{ whiteSpace: "pre-line" }}>
        {question.type === "fill-blank"
          ? question.text.replace(/\{\{(\d+)\}\}/g, "[$1]")
          : question.text}
      </Text>
      <Stack gap={2}>
        <Text size="sm" fw={600}>
          {answerLabel ?? t("review.yourAnswer")}
        </Text>
        {mine.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("review.noAnswer")}
          </Text>
        ) : (
          <List size="sm">
            {mine.map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines of one answer never move
              <List.Item key={i} style={{ whiteSpace: "pre-line" }}>
                {line}
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
      {right.length > 0 && (
        <Stack gap={2}>
          <Text size="sm" fw={600}>
            {question.type === "essay" ? t("review.rubric") : t("review.rightAnswer")}
          </Text>
          <List size="sm">
            {right.map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines of one key never move
              <List.Item key={i}>{line}</List.Item>
            ))}
          </List>
        </Stack>
      )}
      {key?.explanation && (
        <Text size="sm">
          <Text span fw={600} size="sm">
            {t("review.explanation")}{" "}
          </Text>
          {key.explanation}
        </Text>
      )}
      {served.feedback && (
        <Text size="sm">
          <Text span fw={600} size="sm">
            {t("review.feedback")}{" "}
          </Text>
          {served.feedback}
        </Text>
      )}
    </Stack>
  );
}
