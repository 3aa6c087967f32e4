import { Button, Group, List, NumberInput, Paper, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type AiSuggestion, type GradedAttempt, useGradeAnswer } from "../../api/grading";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

/** The AI grader's suggestion: points, confidence, feedback and the criteria it found met. */
function AiSuggestionPanel({
  ai,
  max,
  onUse,
}: {
  ai: AiSuggestion;
  max: number;
  onUse: () => void;
}) {
  const { t } = useTranslation("authoring");
  return (
    <Paper bg="var(--mantine-color-gray-0)" p="sm" radius="sm">
      <Stack gap={4}>
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={600}>
            {t("grading.suggestion", { points: ai.points ?? "—", max })}
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
        <Button size="xs" variant="default" w="fit-content" onClick={onUse}>
          {t("grading.useSuggestion")}
        </Button>
      </Stack>
    </Paper>
  );
}

export interface GradeFormProps {
  courseId: string;
  attemptId: string;
  questionId: string;
  /** The essay's rubric: a score per criterion; without one, points. */
  rubric: Array<{ description: string; points: number }>;
  max: number;
  ai: AiSuggestion | null;
  /** The grade as it stands, to change (a regrade); empty for an answer not graded yet. */
  initial?: { points?: number | null; rubricScores?: number[] | null; feedback?: string | null };
  onSaved?: (attempt: GradedAttempt) => void;
}

/**
 * The grade of one answer: the AI grader's suggestion (when it looked) with *Use the
 * suggestion*, a score per rubric criterion (with the total) or points, and feedback for the
 * learner, saved with POST /attempts/{id}/grade. The grading queue and an attempt's page (to
 * regrade) share it; a grade unlike the rules' or the AI's is recorded by the server as an
 * override.
 */
export function GradeForm({
  courseId,
  attemptId,
  questionId,
  rubric,
  max,
  ai,
  initial,
  onSaved,
}: GradeFormProps) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const grade = useGradeAnswer(me.user.id, courseId);
  const given = initial?.rubricScores;
  const [scores, setScores] = useState<Array<number | string>>(() =>
    rubric.map((_, i) => given?.[i] ?? ""),
  );
  const [points, setPoints] = useState<number | string>(initial?.points ?? "");
  const [feedback, setFeedback] = useState(initial?.feedback ?? "");
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
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!complete) return;
        grade.mutate(
          {
            attemptId,
            questionId,
            ...(rubric.length ? { rubricScores: scores.map(Number) } : { points: Number(points) }),
            feedback: feedback.trim() || null,
          },
          { onSuccess: (attempt) => onSaved?.(attempt) },
        );
      }}
    >
      <Stack gap="sm">
        {ai && <AiSuggestionPanel ai={ai} max={max} onUse={applySuggestion} />}
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
  );
}
