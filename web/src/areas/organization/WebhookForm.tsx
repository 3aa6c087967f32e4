import { Button, Checkbox, Group, Modal, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useWebhookEventTypes, type WebhookFields } from "../../api/webhooks";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

/**
 * The fields of a webhook: its address, a description, and the events it receives (one box
 * per event type of the catalog). Used to create one and to change one.
 */
export function WebhookFormDialog({
  title,
  submit,
  initial,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  title: string;
  submit: string;
  initial?: WebhookFields;
  busy: boolean;
  error: unknown;
  onSubmit: (fields: WebhookFields) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("organization");
  const types = useWebhookEventTypes();
  const [url, setUrl] = useState(initial?.url ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [events, setEvents] = useState<string[]>(initial?.eventTypes ?? []);
  return (
    <Modal
      opened
      size="lg"
      onClose={() => !busy && onClose()}
      title={title}
      closeOnClickOutside={!busy}
      closeButtonProps={{ "aria-label": t("webhooks.cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit({
            url: url.trim(),
            description: description.trim() || null,
            eventTypes: events,
          });
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t("webhooks.url")}
            description={t("webhooks.urlHelp")}
            type="url"
            required
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
          />
          <Textarea
            label={t("webhooks.description")}
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Checkbox.Group label={t("webhooks.events")} value={events} onChange={setEvents}>
            <Stack gap={6} mt={6}>
              {(types.data ?? []).map((type) => (
                <Checkbox
                  key={type.type}
                  value={type.type}
                  label={type.type}
                  description={type.description}
                />
              ))}
            </Stack>
          </Checkbox.Group>
          {types.isError && <ApiErrorAlert error={types.error} />}
          {events.length === 0 && (
            <Text size="xs" c="dimmed">
              {t("webhooks.pickEvents")}
            </Text>
          )}
          {error ? <ApiErrorAlert error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t("webhooks.cancel")}
            </Button>
            <Button type="submit" loading={busy} disabled={events.length === 0 || !url.trim()}>
              {submit}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
