import { Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { type RefObject, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Cohort, type CohortStatus, useCohortStatus } from "../../api/cohorts";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { useFocusKeeper } from "../../ui/useFocusKeeper";
import { CohortDialog } from "./CohortDialog";
import { FINAL_STEPS, isEditable, NEXT_STEPS } from "./lifecycle";

const REASON_MAX = 1000;

/**
 * What can be done with a cohort from where it stands: change it (until it is over) and the
 * lifecycle steps its status allows. Completing asks first, cancelling asks for a reason (sent
 * with the step); both cannot be undone. `onDone` hears what happened, for the page to
 * announce; a button gone after its step hands focus to `fallback`.
 */
export function CohortActions({
  cohort,
  fallback,
  onDone,
}: {
  cohort: Cohort;
  fallback: RefObject<HTMLElement | null>;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation("cohorts");
  const me = useSignedInMe();
  const step = useCohortStatus(me.user.id);
  const hold = useFocusKeeper(step.isPending, fallback);
  const [editing, setEditing] = useState(false);
  const [asking, setAsking] = useState<CohortStatus | null>(null);
  const steps = NEXT_STEPS[cohort.status];

  const move = (status: CohortStatus, reason?: string) => {
    hold();
    step.mutate(
      { cohortId: cohort.id, status, reason: reason || null },
      {
        onSuccess: () => {
          setAsking(null);
          onDone(t(`steps.done.${status}`, { name: cohort.name }));
        },
      },
    );
  };

  if (!isEditable(cohort)) return null;
  return (
    <Stack gap="xs">
      <Group gap="xs" role="group" aria-label={t("steps.actionsFor", { name: cohort.name })}>
        <Button size="xs" variant="default" onClick={() => setEditing(true)}>
          {t("steps.edit")}
        </Button>
        {steps.map((status) => (
          <Button
            key={status}
            size="xs"
            variant={status === "cancelled" ? "outline" : "default"}
            color={status === "cancelled" ? "red.9" : undefined}
            loading={step.isPending && step.variables?.status === status}
            disabled={step.isPending}
            onClick={() => {
              step.reset();
              if (FINAL_STEPS.has(status)) setAsking(status);
              else move(status);
            }}
          >
            {t(`steps.to.${status}`)}
          </Button>
        ))}
      </Group>
      {step.error && !asking && <ApiErrorAlert error={step.error} />}
      {asking === "completed" && (
        <ConfirmDialog
          title={t("steps.completeTitle", { name: cohort.name })}
          text={t("steps.completeText")}
          confirm={t("steps.to.completed")}
          busy={step.isPending}
          onClose={() => setAsking(null)}
          onConfirm={() => move("completed")}
        />
      )}
      {asking === "cancelled" && (
        <CancelDialog
          cohort={cohort}
          busy={step.isPending}
          error={step.error}
          onClose={() => setAsking(null)}
          onConfirm={(reason) => move("cancelled", reason)}
        />
      )}
      {editing && (
        <CohortDialog
          courseId={cohort.courseId}
          cohort={cohort}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            onDone(t("form.saved", { name: saved.name }));
          }}
        />
      )}
    </Stack>
  );
}

/** Asks before cancelling a cohort, with the reason its learners will read. */
function CancelDialog({
  cohort,
  busy,
  error,
  onClose,
  onConfirm,
}: {
  cohort: Cohort;
  busy: boolean;
  error: Error | null;
  onClose: () => void;
  onConfirm: (reason: string) => void;
}) {
  const { t } = useTranslation("cohorts");
  const [reason, setReason] = useState("");
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={t("steps.cancelTitle", { name: cohort.name })}
      closeOnClickOutside={!busy}
      closeButtonProps={{ "aria-label": t("steps.keep") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm(reason.trim());
        }}
      >
        <Stack gap="sm">
          <Text>{t("steps.cancelText", { count: cohort.enrolledCount })}</Text>
          <Textarea
            label={t("steps.reason")}
            description={t("steps.reasonHint")}
            autosize
            minRows={2}
            maxLength={REASON_MAX}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            disabled={busy}
          />
          {error && <ApiErrorAlert error={error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy} data-autofocus>
              {t("steps.keep")}
            </Button>
            <Button type="submit" color="red.9" loading={busy}>
              {t("steps.to.cancelled")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
