import { Button } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMyEnrollments } from "../../api/learner";
import { useSignedInMe } from "../../app/RequireAuth";

/**
 * "Start learning" / "Continue learning" for a course the person is enrolled in (nothing
 * otherwise), leading to the lesson to continue at through `/courses/:id/learn`. Reads the
 * enrollments My learning and the course page already hold, so it costs no request of its own.
 * `named` puts the course's title into the link's accessible name (lists of courses).
 */
export function ContinueLearningLink({
  courseId,
  named = false,
}: {
  courseId: string;
  named?: boolean;
}) {
  const { t } = useTranslation("player");
  const me = useSignedInMe();
  const enrollments = useMyEnrollments(me.user.id);
  const enrollment = enrollments.data?.items.find(
    (e) => e.courseId === courseId && (e.status === "active" || e.status === "completed"),
  );
  if (!enrollment) return null;
  const kind =
    enrollment.status === "completed" ? "review" : enrollment.startedAt ? "continue" : "start";
  const course = enrollment.course.title;
  const named_ = { start: "startCourse", continue: "continueCourse", review: "reviewCourse" }[kind];
  return (
    <Button
      component={Link}
      to={`/courses/${courseId}/learn`}
      size="sm"
      w="fit-content"
      aria-label={named ? t(`continue.${named_}` as "continue.startCourse", { course }) : undefined}
    >
      {t(`continue.${kind}`)}
    </Button>
  );
}
