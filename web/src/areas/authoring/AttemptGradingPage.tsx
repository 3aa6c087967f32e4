import { Anchor, Badge, Button, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useParams } from "react-router";
import { ApiError, isNotFound } from "../../api/errors";
import {
  type AnswerGrading,
  type GradedAttempt,
  type QueueQuestion,
  useGradedAttempt,
} from "../../api/grading";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { AnswerReview } from "../quiz/AnswerReview";
import { attemptPath } from "./GradeCard";
import { GradeForm } from "./GradeForm";
import { GradeSourceText } from "./GradeSourceText";

type Served = GradedAttempt["questions"][number];

/** One answer: what the learner gave, its grade and how it was given, and the form to regrade. */
function GradedAnswer({
  attempt,
  served,
  number,
  courseId,
}: {
  attempt: GradedAttempt;
  served: Served;
  number: number;
  courseId: string;
}) {
  const { t } = useTranslation("authoring");
  const grading = served.grading as unknown as AnswerGrading | undefined;
  const question = served.question as unknown as QueueQuestion | null;
  const waiting = served.result?.outcome === "needs-grading";
  const [open, setOpen] = useState(waiting);
  const [saved, setSaved] = useState(false);
  const key = served.key as { rubric?: Array<{ description: string; points: number }> } | undefined;
  const max = served.result?.maxPoints ?? question?.points ?? 0;
  const gradable = attempt.status !== "in-progress" && !!grading && !!question;
  const formId = `regrade-${served.id}`;
  const rubric = key?.rubric ?? [];
  // The rubric scores as the grade stands: a person's, else the AI grader's while its grade holds.
  const ai = grading?.ai;
  const aiStands =
    !!ai && ai.decision !== "manual" && !grading?.grader && ai.points === served.result?.points;
  const standingScores =
    grading?.rubricScores ??
    (aiStands && ai?.criteria?.length === rubric.length ? ai.criteria.map((c) => c.points) : null);
  return (
    <Stack gap="sm">
      <AnswerReview served={served} number={number} answerLabel={t("gradebook.attempt.answer")} />
      {grading && (
        <Stack gap={2}>
          <GradeSourceText
            facts={{
              outcome: served.result?.outcome ?? null,
              grader: grading.grader,
              manualOverride: grading.manualOverride,
              flaggedForReview: grading.flaggedForReview,
              ai: grading.ai,
            }}
          />
          {grading.rubricScores && key?.rubric && (
            <Text size="sm" c="dimmed">
              {t("gradebook.attempt.rubricScores", {
                scores: grading.rubricScores
                  .map((score, i) => `${key.rubric?.[i]?.description ?? i + 1}: ${score}`)
                  .join(" · "),
              })}
            </Text>
          )}
        </Stack>
      )}
      {saved && !open && (
        <Text size="sm" role="status" c="teal.9">
          {t("gradebook.attempt.saved")}
        </Text>
      )}
      {gradable && (
        <>
          <Button
            variant="default"
            size="xs"
            w="fit-content"
            aria-expanded={open}
            aria-controls={open ? formId : undefined}
            onClick={() => {
              setOpen((value) => !value);
              setSaved(false);
            }}
          >
            {open
              ? t("gradebook.attempt.closeForm", { number })
              : waiting
                ? t("gradebook.attempt.grade", { number })
                : t("gradebook.attempt.regrade", { number })}
          </Button>
          {open && (
            <Paper id={formId} withBorder p="sm" radius="sm">
              <GradeForm
                courseId={courseId}
                attemptId={attempt.id}
                questionId={served.id}
                rubric={rubric}
                max={max}
                ai={grading.ai}
                initial={
                  waiting
                    ? { points: null, feedback: grading.comment }
                    : {
                        points: served.result?.points ?? null,
                        rubricScores: standingScores,
                        feedback: grading.comment,
                      }
                }
                onSaved={() => {
                  setOpen(false);
                  setSaved(true);
                }}
              />
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}

/** The attempt's score, pass and what still waits, as of the latest grade. */
function Standing({ attempt }: { attempt: GradedAttempt }) {
  const { t } = useTranslation("authoring");
  const format = useFormat();
  const pending = attempt.pendingManual > 0;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="attempt-standing">
      <Stack gap="xs">
        <Title order={2} size="h3" id="attempt-standing">
          {t("gradebook.attempt.standing")}
        </Title>
        <Group gap="md" role="status">
          <Text size="xl" fw={700}>
            {attempt.score === null ? "—" : format.percent(attempt.score)}
          </Text>
          {attempt.status === "in-progress" ? (
            <Badge variant="outline" color="gray.8">
              {t("gradebook.attempt.inProgressBadge")}
            </Badge>
          ) : pending ? (
            <Badge variant="outline" color="blue.9">
              {t("gradebook.attempt.waitingBadge", { count: attempt.pendingManual })}
            </Badge>
          ) : attempt.passed ? (
            <Badge variant="outline" color="teal.9">
              {t("gradebook.passed")}
            </Badge>
          ) : (
            <Badge variant="outline" color="red.9">
              {t("gradebook.notPassed")}
            </Badge>
          )}
        </Group>
        {attempt.pointsEarned !== null && attempt.pointsPossible !== null && (
          <Text size="sm">
            {t("gradebook.points", {
              points: format.number(attempt.pointsEarned),
              max: format.number(attempt.pointsPossible),
            })}
          </Text>
        )}
        {attempt.status === "in-progress" && (
          <Text size="sm">{t("gradebook.attempt.inProgress")}</Text>
        )}
      </Stack>
    </Paper>
  );
}

/** Someone else's or an unknown attempt, or one the person may not grade. */
function Refused() {
  const { t } = useTranslation("authoring");
  return (
    <Stack gap="sm">
      <Title order={1}>{t("gradebook.attempt.notFoundTitle")}</Title>
      <Text>{t("gradebook.attempt.notFound")}</Text>
    </Stack>
  );
}

/**
 * An attempt as the course's graders see it (`/teaching/courses/:courseId/attempts/:attemptId`,
 * reached from the gradebook and the grading queue): its score, then every answer with the
 * question, the learner's response, the grade and how it was given (automatically, by the AI
 * grader with its confidence, by a person, or overridden), and a form per answer to grade or
 * regrade it. One request: the attempt comes with its quiz, learner and grading trail.
 */
export function AttemptGradingPage() {
  const { t } = useTranslation("authoring");
  const { courseId = "", attemptId = "" } = useParams();
  const me = useSignedInMe();
  const format = useFormat();
  const attempt = useGradedAttempt(me.user.id, courseId, attemptId);
  const learner = attempt.data?.learner;
  usePageTitle(
    attempt.data && learner
      ? t("gradebook.attempt.title", { name: learner.name, quiz: attempt.data.quiz.title })
      : t("gradebook.attempt.fallbackTitle"),
  );
  if (attempt.data && attempt.data.quiz.courseId !== courseId)
    return <Navigate replace to={attemptPath(attempt.data.quiz.courseId, attempt.data.id)} />;
  const refused =
    isNotFound(attempt.error, "attemptId") ||
    (attempt.error instanceof ApiError && attempt.error.status === 403) ||
    (attempt.data !== undefined && !learner);
  return (
    <Stack gap="md" maw={960}>
      <Group gap="md" wrap="wrap">
        <Anchor component={Link} to={`/teaching/courses/${courseId}/gradebook`}>
          {t("gradebook.attempt.back")}
        </Anchor>
        <Anchor component={Link} to={`/teaching/courses/${courseId}/grading`}>
          {t("grading.title")}
        </Anchor>
      </Group>
      {refused ? (
        <Refused />
      ) : (
        <PageState
          query={attempt}
          pending={
            <Stack>
              <Title order={1}>{t("gradebook.attempt.fallbackTitle")}</Title>
              <Skeleton height={120} radius="md" />
              <Skeleton height={240} radius="md" />
            </Stack>
          }
        >
          {(data) => (
            <Stack gap="lg">
              <Stack gap={4}>
                <Title order={1} style={{ overflowWrap: "anywhere" }}>
                  {t("gradebook.attempt.title", {
                    name: data.learner?.name ?? "",
                    quiz: data.quiz.title,
                  })}
                </Title>
                <Text c="dimmed">
                  {t("gradebook.attempt.subtitle", {
                    number: data.attemptNumber,
                    email: data.learner?.email ?? "",
                    date: format.dateTime(data.submittedAt ?? data.startedAt),
                  })}
                </Text>
              </Stack>
              <Standing attempt={data} />
              <Stack gap="sm" component="section" aria-labelledby="attempt-answers">
                <Title order={2} size="h3" id="attempt-answers">
                  {t("gradebook.attempt.answers")}
                </Title>
                <Stack gap="md" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }}>
                  {data.questions.map((served, i) => (
                    <Paper
                      key={served.id}
                      component="li"
                      withBorder
                      p="md"
                      radius="md"
                      aria-labelledby={`r-${served.id}`}
                    >
                      <GradedAnswer
                        attempt={data}
                        served={served}
                        number={i + 1}
                        courseId={courseId}
                      />
                    </Paper>
                  ))}
                </Stack>
              </Stack>
            </Stack>
          )}
        </PageState>
      )}
    </Stack>
  );
}
