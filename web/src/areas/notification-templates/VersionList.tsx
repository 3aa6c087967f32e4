import { Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type NotificationTemplate,
  type TemplateStatus,
  useTemplateChange,
  useVersionPreview,
} from "../../api/notificationTemplates";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { TemplatePreviewPanel } from "./TemplatePreviewPanel";
import { approvalBlock } from "./versions";

export const TEMPLATE_STATUS_COLOR: Record<TemplateStatus, string> = {
  draft: "gray.8",
  "pending-approval": "violet.9",
  active: "teal.9",
  retired: "dark.5",
};

/** The versions of one template line, newest first, each with what may be done with it. */
export function VersionList({
  versions,
  userId,
  systemScope,
  editingId,
  onEdit,
}: {
  versions: NotificationTemplate[];
  userId: string;
  systemScope: boolean;
  /** The draft open in the form above, if any. */
  editingId: string | null;
  /** Opens a draft in the form above, prefilled with its texts. */
  onEdit: (id: string) => void;
}) {
  const { t } = useTranslation("notificationTemplates");
  return (
    <Stack gap="sm" component="section" aria-labelledby="versions-heading">
      <Title order={2} size="h3" id="versions-heading">
        {t("versions.title")}
      </Title>
      {versions.length === 0 ? (
        <Paper withBorder p="md" radius="md">
          <Text fw={600}>{t("versions.emptyTitle")}</Text>
          <Text size="sm" c="dimmed">
            {t(systemScope ? "versions.emptySystemReason" : "versions.emptyReason")}
          </Text>
        </Paper>
      ) : (
        <Stack component="ul" gap="sm" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {versions.map((v) => (
            <VersionItem
              key={v.id}
              version={v}
              userId={userId}
              editing={v.id === editingId}
              onEdit={() => onEdit(v.id)}
            />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function VersionItem({
  version: v,
  userId,
  editing,
  onEdit,
}: {
  version: NotificationTemplate;
  userId: string;
  editing: boolean;
  onEdit: () => void;
}) {
  const { t } = useTranslation("notificationTemplates");
  const format = useFormat();
  const change = useTemplateChange(userId);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [showPreview, setShowPreview] = useState(false);
  const preview = useVersionPreview(userId, showPreview ? v.id : null);
  const block = approvalBlock(v, userId);
  const name = t("versions.name", { version: v.version });
  const headingId = `version-${v.id}`;
  return (
    <Paper component="li" withBorder p="md" radius="md" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Group gap="xs" wrap="wrap">
          <Title order={3} size="h4" id={headingId}>
            {name}
          </Title>
          <Badge color={TEMPLATE_STATUS_COLOR[v.status]} variant="filled">
            {t(`status.${v.status}`)}
          </Badge>
        </Group>
        <Text size="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
          {v.subject || t("editor.noSubject")}
        </Text>
        <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
          {v.body}
        </Text>
        <Text size="xs" c="dimmed">
          {t(v.createdBy === userId ? "versions.writtenByYou" : "versions.written", {
            at: format.dateTime(v.createdAt),
          })}
          {v.submittedAt && ` · ${t("versions.submitted", { at: format.dateTime(v.submittedAt) })}`}
          {v.approvedAt && ` · ${t("versions.approved", { at: format.dateTime(v.approvedAt) })}`}
          {v.retiredAt && ` · ${t("versions.retired", { at: format.dateTime(v.retiredAt) })}`}
        </Text>
        {v.status === "draft" && v.rejectionReason && (
          <Text size="sm" c="red.9">
            {t("versions.sentBack", { reason: v.rejectionReason })}
          </Text>
        )}
        {v.status === "pending-approval" && block && block !== "not-pending" && (
          <Text size="sm" c="dimmed">
            {t(`versions.cannotApprove.${block}`)}
          </Text>
        )}
        <Group gap="sm" wrap="wrap">
          <Button
            variant="subtle"
            size="xs"
            aria-expanded={showPreview}
            onClick={() => setShowPreview((s) => !s)}
          >
            {t(showPreview ? "versions.hidePreview" : "versions.showPreview", { name })}
          </Button>
          {v.status === "draft" && (
            <Button
              size="xs"
              variant="outline"
              disabled={editing}
              onClick={() => {
                onEdit();
              }}
            >
              {editing ? t("versions.editing", { name }) : t("versions.edit", { name })}
            </Button>
          )}
          {v.status === "draft" && (
            <Button
              size="xs"
              loading={change.isPending}
              onClick={() => change.mutate({ kind: "submit", id: v.id })}
            >
              {t("versions.submit", { name })}
            </Button>
          )}
          {v.status === "pending-approval" && block === null && (
            <Button
              size="xs"
              color="teal.9"
              loading={change.isPending}
              onClick={() => change.mutate({ kind: "approve", id: v.id })}
            >
              {t("versions.approve", { name })}
            </Button>
          )}
          {v.status === "pending-approval" && !rejecting && (
            <Button size="xs" variant="outline" color="red.9" onClick={() => setRejecting(true)}>
              {t("versions.reject", { name })}
            </Button>
          )}
        </Group>
        {rejecting && (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              change.mutate(
                { kind: "reject", id: v.id, reason: reason.trim() },
                { onSuccess: () => setRejecting(false) },
              );
            }}
          >
            <Group gap="sm" align="flex-end" wrap="wrap">
              <TextInput
                label={t("versions.reason")}
                value={reason}
                required
                maxLength={2000}
                style={{ flex: "1 1 200px" }}
                onChange={(e) => setReason(e.currentTarget.value)}
              />
              <Button type="submit" size="sm" color="red.9" disabled={!reason.trim()}>
                {t("versions.sendBack")}
              </Button>
              <Button size="sm" variant="subtle" onClick={() => setRejecting(false)}>
                {t("versions.cancel")}
              </Button>
            </Group>
          </form>
        )}
        {change.error && <ApiErrorAlert error={change.error} />}
        {showPreview && (
          <TemplatePreviewPanel
            headingId={`${headingId}-preview`}
            preview={preview.data}
            pending={preview.isFetching}
            failed={preview.isError}
          />
        )}
      </Stack>
    </Paper>
  );
}
