import { Button, VisuallyHidden } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { EnrollmentView } from "../../api/learner";

/** Where to carry on with a course: its page (which leads on to the lessons). */
export function ContinueLink({ enrollment }: { enrollment: EnrollmentView }) {
  const { t } = useTranslation("learner");
  const started = enrollment.lessonsCompleted > 0 || enrollment.lastAccessedAt !== null;
  return (
    <Button component={Link} to={`/courses/${enrollment.courseId}`} size="xs" variant="light">
      {started ? t("myLearning.continue") : t("myLearning.start")}
      <VisuallyHidden>{`: ${enrollment.course.title}`}</VisuallyHidden>
    </Button>
  );
}
