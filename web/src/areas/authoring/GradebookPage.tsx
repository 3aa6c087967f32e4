import { Anchor, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useEditorCourse } from "../../api/authoring";
import { type CourseGradebook, useCourseGradebook } from "../../api/grading";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { attemptPath } from "./GradeCard";

type Row = CourseGradebook["learners"][number];
type Score = Row["scores"][number];
type Quiz = CourseGradebook["quizzes"][number];

/** One learner's standing in one quiz: the best score (its attempt linked), or why there is none. */
function ScoreCell({
  courseId,
  learner,
  quiz,
  score,
}: {
  courseId: string;
  learner: Row;
  quiz: Quiz;
  score: Score | undefined;
}) {
  const { t } = useTranslation("authoring");
  const format = useFormat();
  if (!score || score.attemptsUsed === 0)
    return (
      <Text size="sm" c="dimmed">
        {t("gradebook.notTaken")}
      </Text>
    );
  if (score.bestScore === null || !score.bestAttemptId)
    return <Text size="sm">{t("gradebook.waiting")}</Text>;
  const name = learner.name;
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <Anchor
          component={Link}
          to={attemptPath(courseId, score.bestAttemptId)}
          aria-label={t("gradebook.bestLink", {
            score: format.percent(score.bestScore),
            name,
            quiz: quiz.title,
          })}
        >
          {format.percent(score.bestScore)}
        </Anchor>
        <Text size="sm" c={score.passed ? "teal.9" : "red.9"}>
          {score.passed ? t("gradebook.passed") : t("gradebook.notPassed")}
        </Text>
      </Group>
      {score.lastAttemptId && score.lastAttemptId !== score.bestAttemptId && (
        <Anchor
          component={Link}
          to={attemptPath(courseId, score.lastAttemptId)}
          size="sm"
          aria-label={t("gradebook.latestLink", { name, quiz: quiz.title })}
        >
          {t("gradebook.latest")}
        </Anchor>
      )}
    </Stack>
  );
}

/**
 * A course's gradebook (`/teaching/courses/:courseId/gradebook`, linked from the editor and the
 * grading queue): each learner's best score in every quiz that counts towards the course grade,
 * with its weight, and the current and final course grade. Each score opens its attempt, where
 * answers are regraded.
 */
export function GradebookPage() {
  const { t } = useTranslation("authoring");
  const { courseId = "" } = useParams();
  const me = useSignedInMe();
  const format = useFormat();
  const course = useEditorCourse(me.user.id, courseId);
  const gradebook = useCourseGradebook(me.user.id, courseId);
  const title = course.data
    ? t("gradebook.pageTitle", { title: course.data.course.title })
    : t("gradebook.title");
  usePageTitle(title);
  const grade = (value: number | null) => (value === null ? "—" : format.percent(value));
  return (
    <Stack gap="md" maw={1100}>
      <Group gap="md" wrap="wrap">
        <Anchor component={Link} to={`/teaching/courses/${courseId}`}>
          {t("grading.back")}
        </Anchor>
        <Anchor component={Link} to={`/teaching/courses/${courseId}/grading`}>
          {t("grading.title")}
        </Anchor>
      </Group>
      <Title order={1} style={{ overflowWrap: "anywhere" }}>
        {title}
      </Title>
      <Text c="dimmed">{t("gradebook.intro")}</Text>
      <PageState
        query={gradebook}
        pending={<Skeleton height={240} radius="md" />}
        isEmpty={(data) => data.learners.length === 0 || data.quizzes.length === 0}
        empty={
          gradebook.data?.quizzes.length === 0 ? (
            <EmptyState
              title={t("gradebook.noQuizzesTitle")}
              reason={t("gradebook.noQuizzesReason")}
            />
          ) : (
            <EmptyState title={t("gradebook.emptyTitle")} reason={t("gradebook.emptyReason")} />
          )
        }
      >
        {(data) => (
          <Stack gap="sm" component="section" aria-labelledby="gradebook-grades">
            <Title order={2} size="h3" id="gradebook-grades">
              {t("gradebook.grades")}
            </Title>
            <Text size="sm" role="status">
              {t("gradebook.count", { count: data.learners.length })}
            </Text>
            <Table.ScrollContainer minWidth={0}>
              <Table striped withTableBorder aria-labelledby="gradebook-grades">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t("gradebook.learner")}</Table.Th>
                    {data.quizzes.map((quiz) => (
                      <Table.Th key={quiz.id} scope="col">
                        <Stack gap={0}>
                          <span>{quiz.title}</span>
                          <Text span size="xs" fw={400}>
                            {t("gradebook.weight", { share: format.number(quiz.weightShare) })}
                          </Text>
                        </Stack>
                      </Table.Th>
                    ))}
                    <Table.Th scope="col">{t("gradebook.currentGrade")}</Table.Th>
                    <Table.Th scope="col">{t("gradebook.finalGrade")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.learners.map((row) => (
                    <Table.Tr key={row.enrollmentId}>
                      <Table.Th scope="row" fw={400}>
                        <Text size="sm" fw={600}>
                          {row.name}
                        </Text>
                        <Text size="xs" style={{ overflowWrap: "anywhere" }}>
                          {row.email}
                        </Text>
                      </Table.Th>
                      {data.quizzes.map((quiz) => (
                        <Table.Td key={quiz.id}>
                          <ScoreCell
                            courseId={courseId}
                            learner={row}
                            quiz={quiz}
                            score={row.scores.find((s) => s.quizId === quiz.id)}
                          />
                        </Table.Td>
                      ))}
                      <Table.Td>{grade(row.currentGrade)}</Table.Td>
                      <Table.Td>{grade(row.finalGrade)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Stack>
        )}
      </PageState>
    </Stack>
  );
}
