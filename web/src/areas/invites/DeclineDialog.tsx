import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { useDeclineInvite } from "../../api/invites";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

/**
 * Asks before declining: declining is final for this link (the organization is told and the
 * link stops working), so the person confirms it here first.
 */
export function DeclineDialog({
  opened,
  onClose,
  organization,
  decline,
}: {
  opened: boolean;
  onClose: () => void;
  organization: string;
  decline: ReturnType<typeof useDeclineInvite>;
}) {
  const { t } = useTranslation("invites");
  const close = () => {
    if (!decline.isPending) onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t("decline.title", { organization })}
      closeOnClickOutside={!decline.isPending}
      // "Keep the invitation" (or Escape) closes it; one way out with one name.
      withCloseButton={false}
    >
      <Stack gap="sm">
        <Text size="sm">{t("decline.body", { organization })}</Text>
        {decline.isError && <ApiErrorAlert error={decline.error} />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} disabled={decline.isPending}>
            {t("decline.keep")}
          </Button>
          <Button
            color="red"
            loading={decline.isPending}
            onClick={() => decline.mutate(undefined, { onSuccess: onClose })}
          >
            {t("decline.confirm")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
