import { Button, Skeleton, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { type Course, useEnroll } from "../../api/catalog";
import { useMyWaitlist } from "../../api/enrollment";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { AccessCodeForm } from "./AccessCodeForm";
import { ApprovalPanel } from "./ApprovalPanel";
import { CheckoutPanel, PaymentConfirming, PaymentReceived, useConfirmWait } from "./CheckoutPanel";
import { CohortChoice } from "./CohortsSection";
import { EnrolledStatus } from "./EnrolledStatus";
import { useCourseEnrollment } from "./useCourseEnrollment";
import { WaitlistPlace } from "./WaitlistPlace";

/** An open course: enroll (choosing a cohort when it has them); a full cohort waitlists. */
function OpenEnroll({ course }: { course: Course }) {
  const { t } = useTranslation("catalog");
  const me = useSignedInMe();
  const enroll = useEnroll(me.user.id);
  const [cohortId, setCohortId] = useState<string | null>(null);
  const cohortBased = course.delivery === "cohort-based";
  return (
    <Stack gap="sm">
      {cohortBased && <CohortChoice courseId={course.id} value={cohortId} onChange={setCohortId} />}
      {enroll.isError && <ApiErrorAlert error={enroll.error} />}
      <Button
        onClick={() => enroll.mutate({ courseId: course.id, cohortId: cohortId ?? undefined })}
        loading={enroll.isPending}
        disabled={cohortBased && !cohortId}
      >
        {t("enroll.enroll")}
      </Button>
    </Stack>
  );
}

/**
 * The way in for this course, or where the person stands: enrolled (with an assignment's due
 * date and a way out), back from a payment, on a waitlist, or the course's enrollment type
 * (open, approval, paid, invitation code).
 */
export function EnrollPanel({ course }: { course: Course }) {
  const { t } = useTranslation("catalog");
  const me = useSignedInMe();
  const [params] = useSearchParams();
  const returned = params.get("payment");
  const paid = returned === "success";
  const [confirmed, setConfirmed] = useState(false);
  const late = useConfirmWait(paid && !confirmed);
  const { query, enrollment, enrolled } = useCourseEnrollment(course.id, paid && !late);
  if (enrolled && paid && !confirmed) setConfirmed(true);
  const cohortBased = course.delivery === "cohort-based";
  const waitlist = useMyWaitlist(me.user.id, cohortBased);

  if (query.isPending) return <Skeleton height={80} radius="md" />;
  if (query.isError)
    return <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (enrollment && enrolled) {
    return (
      <Stack gap="sm">
        {paid && <PaymentReceived />}
        <EnrolledStatus enrollment={enrollment} />
      </Stack>
    );
  }
  if (paid) return <PaymentConfirming late={late} onCheckAgain={() => void query.refetch()} />;

  const place = waitlist.data?.find((w) => w.courseId === course.id);
  if (cohortBased && waitlist.isPending) return <Skeleton height={80} radius="md" />;
  if (place) return <WaitlistPlace entry={place} />;

  switch (course.enrollmentType) {
    case "open":
      return <OpenEnroll course={course} />;
    case "approval":
      return <ApprovalPanel course={course} />;
    case "paid":
      return (
        <Stack gap="lg">
          <CheckoutPanel
            course={course}
            pending={enrollment}
            cancelled={returned === "cancelled"}
          />
          {!enrollment && <AccessCodeForm course={course} />}
        </Stack>
      );
    case "invite":
      return (
        <Stack gap="sm">
          <Text size="sm">{t("enroll.inviteBody")}</Text>
          <AccessCodeForm course={course} />
        </Stack>
      );
    default:
      return <Text size="sm">{t("enroll.closed")}</Text>;
  }
}
