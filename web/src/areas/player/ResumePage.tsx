import { Button, Stack, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useParams } from "react-router";
import { useMyEnrollments } from "../../api/learner";
import { useCourseProgress } from "../../api/player";
import { useSignedInMe } from "../../app/RequireAuth";
import { EmptyState } from "../../ui/EmptyState";
import { Loading } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { lessonPath, resumePoint } from "./outline";
import { PlayerError, Refusal } from "./Refusal";

/**
 * `/courses/:courseId/learn`: the short address of "continue learning". It reads the course
 * map and replaces itself with the lesson to continue at (the first one not completed in an
 * open module), so the player has one canonical address per lesson.
 */
export function ResumePage() {
  const { courseId = "" } = useParams();
  const { t } = useTranslation("player");
  usePageTitle(t("resume.title"));
  const me = useSignedInMe();
  const enrollments = useMyEnrollments(me.user.id);
  const enrollment = enrollments.data?.items.find(
    (e) => e.courseId === courseId && (e.status === "active" || e.status === "completed"),
  );
  const outline = useCourseProgress(me.user.id, courseId);

  if (enrollments.isError)
    return <PlayerError error={enrollments.error} onRetry={() => void enrollments.refetch()} />;
  if (enrollments.isPending) return <Loading />;
  if (!enrollment) return <Refusal kind="not-enrolled" courseId={courseId} />;
  if (outline.isError)
    return <PlayerError error={outline.error} onRetry={() => void outline.refetch()} />;
  if (outline.isPending) return <Loading />;
  if (!outline.data) return <Refusal kind="not-enrolled" courseId={courseId} />;
  const next = resumePoint(outline.data);
  if (next) return <Navigate replace to={lessonPath(courseId, next.lesson.id)} />;
  return (
    <Stack gap="md">
      <Title order={1}>{enrollment.course.title}</Title>
      <EmptyState
        title={t("resume.noLessonsTitle")}
        reason={t("resume.noLessonsBody")}
        action={
          <Button component={Link} to={`/courses/${courseId}`}>
            {t("refusal.toCourse")}
          </Button>
        }
      />
    </Stack>
  );
}
