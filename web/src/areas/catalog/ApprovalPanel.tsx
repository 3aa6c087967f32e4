import { Alert, Button, Skeleton, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Course, useMyEnrollmentRequests, useRequestEnrollment } from "../../api/catalog";
import { useWithdrawRequest } from "../../api/enrollment";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { CohortChoice } from "./CohortsSection";

const STATUS_COLORS = { pending: "yellow", approved: "teal", rejected: "red", withdrawn: "gray" };

/** An approval-based course: ask to join, then see the request's status (and withdraw it). */
export function ApprovalPanel({ course }: { course: Course }) {
  const { t } = useTranslation("catalog");
  const te = useTranslation("enrollment").t;
  const format = useFormat();
  const me = useSignedInMe();
  const requests = useMyEnrollmentRequests(me.user.id, true);
  const ask = useRequestEnrollment(me.user.id);
  const withdraw = useWithdrawRequest(me.user.id);
  const [cohortId, setCohortId] = useState<string | null>(null);
  const cohortBased = course.delivery === "cohort-based";

  if (requests.isPending) return <Skeleton height={80} radius="md" />;
  if (requests.isError)
    return <ApiErrorAlert error={requests.error} onRetry={() => void requests.refetch()} />;
  const request = requests.data
    .filter((r) => r.courseId === course.id)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];

  // A rejected or withdrawn request may be followed by a new one; a pending one waits.
  const status = request && (
    <Alert color={STATUS_COLORS[request.status]} variant="light" role="status">
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t(`enroll.requestStatus.${request.status}`)}
        </Text>
        <Text size="sm">{te("request.sentOn", { date: format.date(request.createdAt) })}</Text>
        {request.reviewNotes && (
          <Text size="sm">{te("request.notes", { notes: request.reviewNotes })}</Text>
        )}
      </Stack>
    </Alert>
  );
  if (request?.status === "pending" || request?.status === "approved") {
    return (
      <Stack gap="sm">
        {status}
        {withdraw.isError && <ApiErrorAlert error={withdraw.error} />}
        {request.status === "pending" && (
          <Button
            variant="subtle"
            color="red"
            size="xs"
            w="fit-content"
            loading={withdraw.isPending}
            onClick={() => withdraw.mutate(request.id)}
          >
            {te("request.withdraw")}
          </Button>
        )}
      </Stack>
    );
  }
  return (
    <Stack gap="sm">
      {status}
      <Text size="sm">{t("enroll.approvalBody")}</Text>
      {cohortBased && <CohortChoice courseId={course.id} value={cohortId} onChange={setCohortId} />}
      {ask.isError && <ApiErrorAlert error={ask.error} />}
      <Button
        onClick={() => ask.mutate({ courseId: course.id, cohortId: cohortId ?? undefined })}
        loading={ask.isPending}
        disabled={cohortBased && !cohortId}
      >
        {t("enroll.requestAccess")}
      </Button>
    </Stack>
  );
}
