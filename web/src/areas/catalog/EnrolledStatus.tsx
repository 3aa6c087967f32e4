import { Alert, Anchor, Badge, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useDropEnrollment } from "../../api/enrollment";
import type { EnrollmentView } from "../../api/learner";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ContinueLearningLink } from "../player/ContinueLearningLink";

/** Training an organization assigned: its due date and whether it is mandatory or compliance. */
function Assignment({ enrollment }: { enrollment: EnrollmentView }) {
  const { t } = useTranslation("enrollment");
  const format = useFormat();
  if (!enrollment.dueAt && !enrollment.isMandatory && !enrollment.isCompliance) return null;
  return (
    <Stack gap={4}>
      <Group gap="xs">
        {enrollment.isCompliance && (
          <Badge color="red.9" variant="filled">
            {t("assigned.compliance")}
          </Badge>
        )}
        {enrollment.isMandatory && !enrollment.isCompliance && (
          <Badge color="dark" variant="filled">
            {t("assigned.mandatory")}
          </Badge>
        )}
      </Group>
      {enrollment.dueAt && (
        <Text size="sm" fw={600}>
          {t("assigned.due", { date: format.dateTime(enrollment.dueAt) })}
        </Text>
      )}
    </Stack>
  );
}

/** Leaving the course, after a confirmation; assigned mandatory training cannot be left. */
function DropButton({ enrollment }: { enrollment: EnrollmentView }) {
  const { t } = useTranslation("enrollment");
  const me = useSignedInMe();
  const drop = useDropEnrollment(me.user.id);
  const [open, setOpen] = useState(false);
  if (enrollment.isMandatory || enrollment.isCompliance) {
    return (
      <Text size="sm" c="dimmed">
        {t("drop.mandatory")}
      </Text>
    );
  }
  if (enrollment.status === "completed") return null;
  return (
    <>
      <Button variant="subtle" color="red" size="xs" w="fit-content" onClick={() => setOpen(true)}>
        {t("drop.button")}
      </Button>
      <Modal
        opened={open}
        onClose={() => !drop.isPending && setOpen(false)}
        title={t("drop.title", { course: enrollment.course.title })}
        closeOnClickOutside={!drop.isPending}
        closeButtonProps={{ "aria-label": t("drop.keep") }}
      >
        <Stack gap="sm">
          <Text size="sm">{t("drop.body")}</Text>
          {enrollment.paymentStatus === "completed" && <Text size="sm">{t("drop.paid")}</Text>}
          {drop.isError && <ApiErrorAlert error={drop.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setOpen(false)} disabled={drop.isPending}>
              {t("drop.keep")}
            </Button>
            <Button
              color="red"
              loading={drop.isPending}
              onClick={() =>
                drop.mutate(
                  { enrollmentId: enrollment.id, courseId: enrollment.courseId },
                  { onSuccess: () => setOpen(false) },
                )
              }
            >
              {t("drop.confirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** The person is in the course: say so, with what an assignment asks of them, and a way out. */
export function EnrolledStatus({ enrollment }: { enrollment: EnrollmentView }) {
  const { t } = useTranslation("catalog");
  const te = useTranslation("enrollment").t;
  return (
    <Stack gap="sm">
      {/* The message is the alert's body, not its title: a tinted title is too faint to read. */}
      <Alert color="teal" variant="light" role="status">
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {enrollment.status === "completed"
              ? te("status.completed")
              : enrollment.status === "suspended"
                ? te("status.suspended")
                : t("enroll.enrolled")}
          </Text>
          {enrollment.cohortName && (
            <Text size="sm">{te("status.cohort", { cohort: enrollment.cohortName })}</Text>
          )}
          <Anchor component={Link} to="/" size="sm">
            {t("enroll.goToMyLearning")}
          </Anchor>
        </Stack>
      </Alert>
      <ContinueLearningLink courseId={enrollment.courseId} />
      <Assignment enrollment={enrollment} />
      <DropButton enrollment={enrollment} />
    </Stack>
  );
}
