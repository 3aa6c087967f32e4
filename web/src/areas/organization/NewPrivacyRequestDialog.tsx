import { Button, Group, Modal, Radio, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { PRIVACY_REQUEST_TYPES, type PrivacyRequestType } from "../../api/privacy";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { type PersonChoice, PersonSelect } from "../../ui/PersonSelect";
import { confirmationMatches } from "./privacyRules";

/**
 * Files a data subject request for a member: the person (searched among all the organization's
 * members), the kind, a reason; an erasure asks for the person's name typed out before it can
 * be filed.
 */
export function NewPrivacyRequestDialog({
  orgId,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  orgId: string;
  busy: boolean;
  error: unknown;
  onSubmit: (input: {
    type: PrivacyRequestType;
    subjectUserId: string;
    reason: string | null;
  }) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("privacy");
  const [person, setPerson] = useState<PersonChoice | null>(null);
  const [type, setType] = useState<PrivacyRequestType>("export");
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const confirmed =
    type !== "erasure" || (person !== null && confirmationMatches(typed, person.fullName));
  const ready = person !== null && confirmed;
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={t("requests.dialogTitle")}
      closeOnClickOutside={!busy}
      closeButtonProps={{ "aria-label": t("requests.cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!ready || !person) return;
          onSubmit({ type, subjectUserId: person.userId, reason: reason.trim() || null });
        }}
      >
        <fieldset disabled={busy} style={{ border: 0, padding: 0, margin: 0 }}>
          <Stack gap="sm">
            <PersonSelect
              orgId={orgId}
              label={t("requests.person")}
              description={t("requests.personHint")}
              required
              anyStatus
              value={person?.userId ?? null}
              onChange={(_, chosen) => setPerson(chosen)}
              autoFocus
            />
            <Radio.Group
              label={t("requests.type")}
              value={type}
              onChange={(value) => setType(value as PrivacyRequestType)}
              required
            >
              <Stack gap="xs" mt={4}>
                {PRIVACY_REQUEST_TYPES.map((kind) => (
                  <Radio
                    key={kind}
                    value={kind}
                    label={t(`type.${kind}`)}
                    description={t(`requests.typeHint.${kind}`)}
                  />
                ))}
              </Stack>
            </Radio.Group>
            <Textarea
              label={t("requests.reason")}
              description={t("requests.reasonHint")}
              value={reason}
              maxLength={2000}
              rows={3}
              onChange={(event) => setReason(event.currentTarget.value)}
            />
            {type === "erasure" && person && (
              <TextInput
                label={t("requests.confirmErasure", { name: person.fullName })}
                value={typed}
                autoComplete="off"
                required
                onChange={(event) => setTyped(event.currentTarget.value)}
                error={typed && !confirmed ? t("requests.confirmMismatch") : undefined}
              />
            )}
            {error ? <ApiErrorAlert error={error} /> : null}
            {type === "erasure" && (
              <Text size="sm" c="red.9" fw={600}>
                {t("requests.typeHint.erasure")}
              </Text>
            )}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose} disabled={busy}>
                {t("requests.cancel")}
              </Button>
              <Button
                type="submit"
                color={type === "erasure" ? "red.9" : undefined}
                disabled={!ready}
                loading={busy}
              >
                {t("requests.create")}
              </Button>
            </Group>
          </Stack>
        </fieldset>
      </form>
    </Modal>
  );
}
