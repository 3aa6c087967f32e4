import {
  Alert,
  Button,
  Group,
  List,
  Modal,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type SecurityKey,
  useAddSecurityKey,
  useRemoveSecurityKey,
  useSecurityKeys,
} from "../../api/webauthn";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { EmptyState } from "../../ui/EmptyState";
import { KeyErrorAlert } from "../../ui/KeyErrorAlert";
import { Loading, PageState } from "../../ui/PageState";

/**
 * Security keys and passkeys on the two-step sign-in page: the list, adding one (a name, then
 * the browser's prompt) and removing one (with the password). A key that is the account's first
 * second factor comes with recovery codes, handed to `onRecoveryCodes` to show once.
 */
export function SecurityKeysSection({
  onRecoveryCodes,
}: {
  onRecoveryCodes: (codes: string[], keyName: string) => void;
}) {
  const { t } = useTranslation("security");
  const keys = useSecurityKeys();
  const [removing, setRemoving] = useState<SecurityKey | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <Stack gap="sm" component="section" aria-labelledby="keys-title">
      <Title order={2} size="h3" id="keys-title">
        {t("keys.title")}
      </Title>
      <Text>{t("keys.intro")}</Text>
      {notice && (
        <Alert color="green" variant="light" role="status">
          {notice}
        </Alert>
      )}
      <PageState
        query={keys}
        pending={<Loading label={t("keys.loading")} />}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState
            headingLevel={3}
            title={t("keys.emptyTitle")}
            reason={t("keys.emptyReason")}
          />
        }
      >
        {(list) => (
          <List listStyleType="none" spacing="xs" aria-labelledby="keys-title">
            {list.map((key) => (
              <KeyRow key={key.id} item={key} onRemove={() => setRemoving(key)} />
            ))}
          </List>
        )}
      </PageState>
      <AddKey
        onAdded={(name, codes) => {
          if (codes.length) onRecoveryCodes(codes, name);
          else setNotice(t("keys.added", { name }));
        }}
      />
      {removing && (
        <RemoveKey
          item={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            setNotice(t("keys.removed"));
          }}
        />
      )}
    </Stack>
  );
}

function KeyRow({ item, onRemove }: { item: SecurityKey; onRemove: () => void }) {
  const { t } = useTranslation("security");
  const format = useFormat();
  return (
    <List.Item>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Stack gap={0}>
          <Text fw={600}>{item.name}</Text>
          <Text size="sm" c="dimmed">
            {t("keys.addedOn", { date: format.date(item.createdAt) })},{" "}
            {item.lastUsedAt
              ? t("keys.lastUsed", { date: format.date(item.lastUsedAt) })
              : t("keys.neverUsed")}
          </Text>
        </Stack>
        <Button
          variant="outline"
          color="red.9"
          size="xs"
          onClick={onRemove}
          aria-label={t("keys.removeLabel", { name: item.name })}
        >
          {t("keys.remove")}
        </Button>
      </Group>
    </List.Item>
  );
}

function AddKey({ onAdded }: { onAdded: (name: string, recoveryCodes: string[]) => void }) {
  const { t } = useTranslation("security");
  const add = useAddSecurityKey();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [invalid, setInvalid] = useState(false);
  if (!browserSupportsWebAuthn()) {
    return (
      <Alert color="gray" variant="light">
        {t("keys.unsupported")}
      </Alert>
    );
  }
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const clean = name.trim();
        setInvalid(!clean || !password);
        if (!clean || !password) return;
        add.mutate(
          { name: clean, password },
          {
            onSuccess: (key) => {
              setName("");
              setPassword("");
              onAdded(key.name, key.recoveryCodes);
            },
          },
        );
      }}
    >
      <Stack gap="sm">
        {add.error && <KeyErrorAlert error={add.error} title={t("keys.add")} />}
        <TextInput
          label={t("keys.name")}
          description={t("keys.nameHelp")}
          required
          maxLength={60}
          value={name}
          disabled={add.isPending}
          onChange={(e) => setName(e.currentTarget.value)}
          error={invalid && !name.trim() ? t("keys.nameRequired") : null}
        />
        <PasswordInput
          label={t("twoStep.password")}
          description={t("keys.passwordHelp")}
          autoComplete="current-password"
          required
          maxLength={128}
          value={password}
          disabled={add.isPending}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={invalid && !password ? t("keys.passwordRequired") : null}
        />
        <Button type="submit" loading={add.isPending} w="fit-content">
          {t("keys.add")}
        </Button>
      </Stack>
    </form>
  );
}

function RemoveKey({
  item,
  onClose,
  onRemoved,
}: {
  item: SecurityKey;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const { t } = useTranslation("security");
  const { t: common } = useTranslation();
  const remove = useRemoveSecurityKey();
  const [password, setPassword] = useState("");
  return (
    <Modal
      opened
      onClose={() => !remove.isPending && onClose()}
      title={t("keys.removeTitle", { name: item.name })}
      closeButtonProps={{ "aria-label": common("confirm.cancel") }}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (password)
            remove.mutate({ id: item.id, proof: { password } }, { onSuccess: onRemoved });
        }}
      >
        <Stack gap="sm">
          <Text>{t("keys.removeText")}</Text>
          {remove.error && <ApiErrorAlert error={remove.error} title={t("keys.remove")} />}
          <PasswordInput
            label={t("twoStep.password")}
            autoComplete="current-password"
            required
            data-autofocus
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={remove.isPending}>
              {common("confirm.cancel")}
            </Button>
            <Button type="submit" color="red.9" loading={remove.isPending} disabled={!password}>
              {t("keys.remove")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
