import { Button } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMyEnrollments } from "../../api/learner";
import { useSignedInMe } from "../../app/RequireAuth";

/**
 * "Start learning" / "Continue learning" on the course page of a course the person is enrolled
 * in (nothing otherwise), leading to the lesson to continue at through `/courses/:id/learn`.
 * Reads the enrollments the course page already holds, so it costs no request of its own.
 */
export function ContinueLearningLink({ courseId }: { courseId: string }) {
  const { t } = useTranslation("player");
  const me = useSignedInMe();
  const enrollments = useMyEnrollments(me.user.id);
  const enrollment = enrollments.data?.items.find(
    (e) => e.courseId === courseId && (e.status === "active" || e.status === "completed"),
  );
  if (!enrollment) return null;
  const kind =
    enrollment.status === "completed" ? "review" : enrollment.startedAt ? "continue" : "start";
  return (
    <Button component={Link} to={`/courses/${courseId}/learn`} size="sm" w="fit-content">
      {t(`continue.${kind}`)}
    </Button>
  );
}
