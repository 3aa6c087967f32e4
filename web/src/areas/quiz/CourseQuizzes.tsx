import { Anchor, Badge, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useCourseQuizzes } from "../../api/quiz";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

/**
 * A course's quizzes for its enrolled learner, each linking to its quiz page with the
 * learner's standing (passed, best score). Shows nothing to someone not enrolled. For the
 * course page and the lesson player: `<CourseQuizzes courseId={…} />`.
 */
export function CourseQuizzes({ courseId }: { courseId: string }) {
  const { t } = useTranslation("quiz");
  const format = useFormat();
  const me = useSignedInMe();
  const progress = useCourseQuizzes(me.user.id, courseId);
  // Until it is known whether the person is enrolled (null: they are not), nothing shows;
  // the course page asks for it together with the course.
  if (progress.isPending || progress.data === null) return null;
  const modules = (progress.data?.modules ?? []).filter((m) => m.quizzes.length > 0);
  if (progress.isSuccess && modules.length === 0) return null;
  return (
    <Stack gap="xs" component="section" aria-labelledby="course-quizzes">
      <Title order={2} size="h3" id="course-quizzes">
        {t("course.title")}
      </Title>
      {progress.isError ? (
        <ApiErrorAlert error={progress.error} onRetry={() => void progress.refetch()} />
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {modules.flatMap((module) =>
            module.quizzes.map((quiz) => (
              <Paper key={quiz.id} component="li" withBorder p="sm" radius="md">
                <Group justify="space-between" gap="xs">
                  <Stack gap={2}>
                    <Anchor component={Link} to={`/quizzes/${quiz.id}`} fw={600}>
                      {quiz.title}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {module.title}
                      {quiz.requiredForCompletion ? ` · ${t("course.required")}` : ""}
                    </Text>
                  </Stack>
                  <Group gap="xs">
                    {quiz.bestScore !== null && (
                      <Text size="sm">
                        {t("course.best", { score: format.percent(quiz.bestScore) })}
                      </Text>
                    )}
                    {quiz.passed ? (
                      <Badge color="teal.9" variant="outline">
                        {t("quiz.status.passed")}
                      </Badge>
                    ) : quiz.attemptsUsed === 0 ? (
                      <Badge color="gray.7" variant="outline">
                        {t("course.notStarted")}
                      </Badge>
                    ) : null}
                  </Group>
                </Group>
              </Paper>
            )),
          )}
        </Stack>
      )}
    </Stack>
  );
}
