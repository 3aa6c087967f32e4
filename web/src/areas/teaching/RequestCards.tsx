import { Badge, Button, Group, Modal, Paper, Stack, Text, Textarea, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { CourseRequest } from "../../api/teaching";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

export const nameOf = (r: CourseRequest) => r.learner?.name ?? r.userId;

const STATUS_COLOR = {
  pending: "blue.9",
  approved: "teal.9",
  rejected: "red.9",
  withdrawn: "gray.8",
} as const;

export function RequestStatusBadge({ status }: { status: CourseRequest["status"] }) {
  const { t } = useTranslation("teaching");
  return (
    <Badge color={STATUS_COLOR[status]} variant="filled">
      {t(`requests.status.${status}`)}
    </Badge>
  );
}

function Who({ request }: { request: CourseRequest }) {
  const { t } = useTranslation("teaching");
  const format = useFormat();
  return (
    <Stack gap={2}>
      <Title order={3} size="h4">
        {nameOf(request)}
      </Title>
      {request.learner && (
        <Text size="sm" c="dimmed" style={{ overflowWrap: "anywhere" }}>
          {request.learner.email}
        </Text>
      )}
      <Text size="sm">
        {t("requests.requestedAt", { date: format.dateTime(request.createdAt) })}
      </Text>
    </Stack>
  );
}

/** A waiting request: who, when, their message, and the decision. */
export function PendingRequest({
  request,
  busy,
  error,
  onDecide,
}: {
  request: CourseRequest;
  busy: boolean;
  error: unknown;
  onDecide: (decision: "approve" | "reject", notes?: string) => void;
}) {
  const { t } = useTranslation("teaching");
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState("");
  const name = nameOf(request);
  return (
    <Paper withBorder p="md" radius="md" component="li">
      <Stack gap="sm">
        <Who request={request} />
        <Stack gap={2}>
          <Text size="sm" fw={600}>
            {t("requests.message")}
          </Text>
          <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {request.reason || t("requests.noMessage")}
          </Text>
        </Stack>
        <Group gap="sm" role="group" aria-label={t("requests.actionsFor", { name })}>
          <Button disabled={busy} onClick={() => onDecide("approve")}>
            {t("requests.approve")}
          </Button>
          <Button variant="outline" color="red" disabled={busy} onClick={() => setDeclining(true)}>
            {t("requests.decline")}
          </Button>
        </Group>
        {error ? <ApiErrorAlert error={error} /> : null}
      </Stack>
      <Modal
        opened={declining}
        onClose={() => !busy && setDeclining(false)}
        title={t("requests.declineTitle", { name })}
        closeOnClickOutside={!busy}
        closeOnEscape={!busy}
        closeButtonProps={{ "aria-label": t("requests.cancel") }}
      >
        <form
          onSubmit={(event) => {
            event.preventDefault();
            onDecide("reject", reason.trim() || undefined);
            setDeclining(false);
          }}
        >
          <fieldset disabled={busy} style={{ border: 0, padding: 0, margin: 0 }}>
            <Stack gap="md">
              <Textarea
                label={t("requests.declineReason")}
                description={t("requests.declineReasonHint")}
                value={reason}
                onChange={(event) => setReason(event.currentTarget.value)}
                maxLength={2000}
                autosize
                minRows={3}
                data-autofocus
              />
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={() => setDeclining(false)}>
                  {t("requests.cancel")}
                </Button>
                <Button type="submit" color="red">
                  {t("requests.declineConfirm")}
                </Button>
              </Group>
            </Stack>
          </fieldset>
        </form>
      </Modal>
    </Paper>
  );
}

/** A decided (or withdrawn) request, with its state and the note sent with it. */
export function DecidedRequest({ request }: { request: CourseRequest }) {
  const { t } = useTranslation("teaching");
  const format = useFormat();
  return (
    <Paper withBorder p="md" radius="md" component="li">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Who request={request} />
          <RequestStatusBadge status={request.status} />
        </Group>
        {request.reviewedAt && (
          <Text size="sm">
            {t("requests.decidedAt", { date: format.dateTime(request.reviewedAt) })}
          </Text>
        )}
        {request.reviewNotes && (
          <Text size="sm" style={{ overflowWrap: "anywhere" }}>
            {t("requests.reviewNotes")}: {request.reviewNotes}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
