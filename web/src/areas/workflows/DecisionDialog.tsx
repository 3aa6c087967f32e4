import { Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

export type Decision = "approve" | "reject";

/** A refused decision in words: the two codes a decision can meet have their own texts. */
export function DecisionError({ error }: { error: unknown }) {
  const { t } = useTranslation("approvals");
  if (error instanceof ApiError && error.code === "NOT_AN_APPROVER")
    return (
      <Text role="alert" c="red.9" size="sm">
        {t("decision.notApprover")}
      </Text>
    );
  if (error instanceof ApiError && error.code === "EXECUTION_NOT_AWAITING_APPROVAL")
    return (
      <Text role="alert" c="red.9" size="sm">
        {t("decision.notAwaiting")}
      </Text>
    );
  return <ApiErrorAlert error={error} />;
}

/**
 * Approve or reject one request, with a note sent to the person who asked: optional when
 * approving, required when rejecting (they should learn why).
 */
export function DecisionDialog({
  decision,
  summary,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  decision: Decision;
  summary: string;
  busy: boolean;
  error: unknown;
  onSubmit: (note: string | null) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("approvals");
  const [note, setNote] = useState("");
  const [checked, setChecked] = useState(false);
  const rejecting = decision === "reject";
  const missing = checked && rejecting && !note.trim();
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={rejecting ? t("decision.rejectTitle") : t("decision.approveTitle")}
      closeOnClickOutside={!busy}
      closeButtonProps={{ "aria-label": t("decision.cancel") }}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setChecked(true);
          if (rejecting && !note.trim()) return;
          onSubmit(note.trim() || null);
        }}
      >
        <Stack gap="sm">
          <Text fw={500} style={{ overflowWrap: "anywhere" }}>
            {summary}
          </Text>
          <Textarea
            label={t("decision.note")}
            description={rejecting ? t("decision.noteRequired") : t("decision.noteOptional")}
            required={rejecting}
            rows={3}
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={missing ? t("decision.noteMissing") : undefined}
            data-autofocus
          />
          {error ? <DecisionError error={error} /> : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t("decision.cancel")}
            </Button>
            <Button type="submit" loading={busy} color={rejecting ? "red.9" : undefined}>
              {rejecting ? t("decision.reject") : t("decision.approve")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
