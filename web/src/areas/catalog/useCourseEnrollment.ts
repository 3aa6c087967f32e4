import { useMyEnrollmentsPolling } from "../../api/enrollment";
import type { EnrollmentView } from "../../api/learner";
import { useSignedInMe } from "../../app/RequireAuth";

/** Enrollment statuses that hold a place in the course (a dropped or expired one does not). */
const HOLDING: EnrollmentView["status"][] = ["pending-payment", "active", "completed", "suspended"];

function find(items: EnrollmentView[] | undefined, courseId: string) {
  return items?.find((e) => e.courseId === courseId && HOLDING.includes(e.status));
}

/**
 * The signed-in person's enrollment in a course, if they hold one (GET /enrollments/mine,
 * shared with My learning), and whether it lets them learn (`enrolled`: not waiting for a
 * payment). With `untilEnrolled` it polls until they are enrolled (back from a payment, while
 * the provider's notice is on its way).
 */
export function useCourseEnrollment(courseId: string, untilEnrolled = false) {
  const me = useSignedInMe();
  const query = useMyEnrollmentsPolling(
    me.user.id,
    untilEnrolled
      ? (items) => {
          const enrollment = find(items, courseId);
          return !enrollment || enrollment.status === "pending-payment";
        }
      : undefined,
  );
  const enrollment = find(query.data?.items, courseId);
  return {
    query,
    enrollment,
    enrolled: enrollment !== undefined && enrollment.status !== "pending-payment",
  };
}
