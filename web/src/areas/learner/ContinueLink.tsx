import { Button } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { EnrollmentView } from "../../api/learner";
import { PreloadLink } from "../../app/PreloadLink";

/** Where to carry on with a course: the lesson to continue at (/courses/:id/learn). */
export function ContinueLink({ enrollment }: { enrollment: EnrollmentView }) {
  const { t } = useTranslation("learner");
  const started = enrollment.lessonsCompleted > 0 || enrollment.lastAccessedAt !== null;
  const label = started ? t("myLearning.continue") : t("myLearning.start");
  return (
    <Button
      component={PreloadLink}
      to={`/courses/${enrollment.courseId}/learn`}
      size="xs"
      variant="light"
      // The visible word first, then which course (many cards have the same button).
      aria-label={`${label}: ${enrollment.course.title}`}
    >
      {label}
    </Button>
  );
}
