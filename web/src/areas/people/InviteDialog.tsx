import { Button, Group, Modal, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useInvite } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { useRoleNames } from "./roles";

/**
 * Invites one person by email: the server mails them a link, and they join only if they
 * accept. The role is chosen among the organization's roles when the person may read them;
 * otherwise the invitation makes a learner. A refusal (an address already invited, too many
 * mails) shows in the dialog at its field.
 */
export function InviteDialog({
  orgId,
  onClose,
  onSent,
}: {
  orgId: string;
  onClose: () => void;
  onSent: (email: string) => void;
}) {
  const { t } = useTranslation("people");
  const me = useSignedInMe();
  const invite = useInvite(me.user.id, orgId);
  const { roles, readable } = useRoleNames(orgId);
  const [email, setEmail] = useState("");
  const [roleKey, setRoleKey] = useState("learner");
  const [message, setMessage] = useState("");
  const busy = invite.isPending;
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={t("invite.title")}
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      closeButtonProps={{ "aria-label": t("invite.cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const address = email.trim();
          invite.mutate(
            { email: address, roleKey, message: message.trim() || null },
            { onSuccess: () => onSent(address) },
          );
        }}
      >
        <Stack gap="sm">
          <TextInput
            type="email"
            label={t("invite.email")}
            required
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            data-autofocus
          />
          {readable && (
            <Select
              label={t("invite.role")}
              description={t("invite.roleHint")}
              data={roles.map((r) => ({ value: r.key, label: r.name }))}
              value={roleKey}
              allowDeselect={false}
              onChange={(value) => value && setRoleKey(value)}
            />
          )}
          <Textarea
            label={t("invite.message")}
            description={t("invite.messageHint")}
            maxLength={1000}
            autosize
            minRows={2}
            value={message}
            onChange={(event) => setMessage(event.currentTarget.value)}
          />
          {invite.error && <ApiErrorAlert error={invite.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t("invite.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("invite.send")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
