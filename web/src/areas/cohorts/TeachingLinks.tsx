import { Button } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Course } from "../../api/authoring";

/**
 * The course editor's links to the course's cohorts (cohort-based courses only) and to its
 * community page (announcements, kit, reviews).
 */
export function TeachingLinks({ course }: { course: Pick<Course, "id" | "delivery"> }) {
  const { t } = useTranslation("cohorts");
  return (
    <>
      {course.delivery === "cohort-based" && (
        <Button component={Link} to={`/teaching/courses/${course.id}/cohorts`} variant="default">
          {t("nav.cohorts")}
        </Button>
      )}
      <Button component={Link} to={`/teaching/courses/${course.id}/community`} variant="default">
        {t("nav.community")}
      </Button>
    </>
  );
}
