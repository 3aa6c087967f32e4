import { Anchor } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMyEnrollments } from "../../api/learner";
import { useSignedInMe } from "../../app/RequireAuth";

/** Enrollments that see a course's announcements. */
const READS = new Set(["active", "completed"]);

/** A link to the course's announcements, for its learners only (from My learning's cache). */
export function CourseAnnouncementsLink({ courseId }: { courseId: string }) {
  const { t } = useTranslation("feedback");
  const me = useSignedInMe();
  const enrollments = useMyEnrollments(me.user.id);
  const enrolled = enrollments.data?.items.some(
    (e) => e.courseId === courseId && READS.has(e.status),
  );
  if (!enrolled) return null;
  return (
    <Anchor component={Link} to={`/courses/${courseId}/announcements`}>
      {t("announcements.link")}
    </Anchor>
  );
}
