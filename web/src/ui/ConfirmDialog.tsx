import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

/**
 * Asks before an action that cannot be undone: its title names the thing, the text says
 * what follows, and the confirming button repeats the action. Escape and Cancel keep things
 * as they are.
 */
export function ConfirmDialog({
  title,
  text,
  confirm,
  busy,
  onConfirm,
  onClose,
}: {
  title: string;
  text: string;
  confirm: string;
  busy: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={title}
      closeOnClickOutside={!busy}
      closeButtonProps={{ "aria-label": t("confirm.cancel") }}
    >
      <Stack gap="sm">
        <Text>{text}</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={busy} data-autofocus>
            {t("confirm.cancel")}
          </Button>
          <Button color="red.9" onClick={onConfirm} loading={busy}>
            {confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
