import {
  Badge,
  Blockquote,
  Button,
  Group,
  List,
  NumberInput,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type AiSuggestion,
  type QueueItem,
  type QueueQuestion,
  useGradeAnswer,
} from "../../api/grading";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

/** The learner's answer as text: an essay's or short answer's words, else the raw answer. */
function answerText(response: QueueItem["response"]): string {
  if (!response) return "";
  if (typeof response.text === "string") return response.text;
  return JSON.stringify(response);
}

/**
 * One answer to grade: the question, the learner's answer, the AI grader's suggestion with its
 * confidence and criteria (when it looked), and the grade — a score per rubric criterion or
 * points — with feedback for the learner. *Use the suggestion* copies the AI's scores into the
 * form; saving a different grade overrides it (the server records the override).
 */
export function GradeCard({ courseId, item }: { courseId: string; item: QueueItem }) {
  const { t } = useTranslation("authoring");
  const format = useFormat();
  const me = useSignedInMe();
  const grade = useGradeAnswer(me.user.id, courseId);
  const headingId = useId();
  const question = item.question as unknown as QueueQuestion;
  const ai = item.ai as unknown as AiSuggestion | null;
  const rubric = question.rubric ?? [];
  const max = item.maxPoints ?? question.points;
  const [scores, setScores] = useState<Array<number | string>>(() => rubric.map(() => ""));
  const [points, setPoints] = useState<number | string>(item.points ?? "");
  const [feedback, setFeedback] = useState("");
  const applySuggestion = () => {
    if (!ai) return;
    if (rubric.length && ai.criteria?.length === rubric.length)
      setScores(ai.criteria.map((c) => c.points));
    else if (ai.points !== null) setPoints(ai.points);
    if (ai.feedback) setFeedback(ai.feedback);
  };
  const total = rubric.length
    ? scores.reduce<number>((n, s) => n + (s === "" ? 0 : Number(s)), 0)
    : Number(points || 0);
  const complete = rubric.length ? scores.every((s) => s !== "") : points !== "";
  return (
    <Paper withBorder p="md" radius="md" component="article" aria-labelledby={headingId}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!complete) return;
          grade.mutate({
            attemptId: item.attemptId,
            questionId: item.questionId,
            ...(rubric.length ? { rubricScores: scores.map(Number) } : { points: Number(points) }),
            feedback: feedback.trim() || null,
          });
        }}
      >
        <Stack gap="sm">
          <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
            <Stack gap={2}>
              <Title order={2} size="h4" id={headingId}>
                {t("grading.answerBy", { name: item.learner.name })}
              </Title>
              <Text size="sm" c="dimmed">
                {t("grading.where", {
                  quiz: item.quizTitle,
                  attempt: item.attemptNumber,
                  when: item.submittedAt ? format.dateTime(item.submittedAt) : "—",
                })}
              </Text>
            </Stack>
            <Badge variant="outline" color={item.flaggedForReview ? "grape.9" : "blue.9"}>
              {item.flaggedForReview ? t("grading.flagged") : t("grading.pending")}
            </Badge>
          </Group>
          <Text fw={500}>{question.text}</Text>
          <Blockquote p="sm" color="gray" style={{ whiteSpace: "pre-wrap" }}>
            {answerText(item.response) || t("grading.noAnswer")}
          </Blockquote>
          {ai && (
            <Paper bg="var(--mantine-color-gray-0)" p="sm" radius="sm">
              <Stack gap={4}>
                <Group gap="xs" wrap="wrap">
                  <Text size="sm" fw={600}>
                    {t("grading.suggestion", {
                      points: ai.points ?? "—",
                      max,
                    })}
                  </Text>
                  {ai.confidence !== null && (
                    <Text size="sm">
                      {t("grading.confidence", { percent: Math.round(ai.confidence * 100) })}
                    </Text>
                  )}
                </Group>
                {ai.feedback && <Text size="sm">{ai.feedback}</Text>}
                {ai.criteria && ai.criteria.length > 0 && (
                  <List size="sm" spacing={2}>
                    {ai.criteria.map((c) => (
                      <List.Item key={c.description}>
                        {t(c.met ? "grading.criterionMet" : "grading.criterionMissed", {
                          criterion: c.description,
                          points: c.points,
                        })}
                      </List.Item>
                    ))}
                  </List>
                )}
                <Button size="xs" variant="default" w="fit-content" onClick={applySuggestion}>
                  {t("grading.useSuggestion")}
                </Button>
              </Stack>
            </Paper>
          )}
          {rubric.length > 0 ? (
            <Stack gap="xs">
              {rubric.map((criterion, i) => (
                <NumberInput
                  key={criterion.description}
                  label={t("grading.criterion", {
                    criterion: criterion.description,
                    points: criterion.points,
                  })}
                  min={0}
                  max={criterion.points}
                  decimalScale={2}
                  value={scores[i]}
                  onChange={(value) =>
                    setScores((current) => current.map((s, k) => (k === i ? value : s)))
                  }
                  maw={320}
                />
              ))}
              <Text size="sm">{t("grading.total", { points: total, max })}</Text>
            </Stack>
          ) : (
            <NumberInput
              label={t("grading.points", { max })}
              min={0}
              max={max}
              decimalScale={2}
              value={points}
              onChange={setPoints}
              maw={220}
            />
          )}
          <Textarea
            label={t("grading.feedback")}
            autosize
            minRows={2}
            maxLength={10_000}
            value={feedback}
            onChange={(event) => setFeedback(event.currentTarget.value)}
          />
          {grade.error && <ApiErrorAlert error={grade.error} />}
          {!complete && grade.isIdle && (
            <Text size="sm" c="dimmed">
              {rubric.length ? t("grading.scoreEach") : t("grading.givePoints")}
            </Text>
          )}
          <Button type="submit" loading={grade.isPending} disabled={!complete} w="fit-content">
            {t("grading.save")}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
