import {
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type AccessLevel, useApiKeyChange } from "../../api/apiKeys";
import { usePermissionCatalog } from "../../api/roles";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { endOfDay } from "../../ui/days";

const LEVELS: readonly AccessLevel[] = ["read-only", "read-write", "admin", "full-access"];

/** The lines of a text box, trimmed, without empty ones (one IP address or range per line). */
export function lines(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * Creates an API key: its name, access level, the permissions it carries (organization scope
 * or narrower, only those the creator holds), hourly and daily limits, the addresses it may
 * come from, and an optional expiry. The server refuses what the creator may not give, and
 * the reason shows at the form.
 */
export function NewApiKeyDialog({
  orgId,
  onClose,
  onCreated,
}: {
  orgId: string;
  onClose: () => void;
  onCreated: (name: string, secret: string) => void;
}) {
  const { t } = useTranslation("organization");
  const me = useSignedInMe();
  const catalog = usePermissionCatalog();
  const create = useApiKeyChange(me.user.id, orgId);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [accessLevel, setAccessLevel] = useState<AccessLevel>("read-only");
  const [scopes, setScopes] = useState<string[]>([]);
  const [perHour, setPerHour] = useState<number | string>(1000);
  const [perDay, setPerDay] = useState<number | string>(10000);
  const [ips, setIps] = useState("");
  const [expires, setExpires] = useState("");
  const expiresAt = expires ? endOfDay(expires) : null;
  const busy = create.isPending;
  const keys = (catalog.data?.permissions ?? [])
    .filter((p) => p.scope !== "all")
    .map((p) => ({ value: p.key, label: `${p.key} · ${p.description}` }));

  return (
    <Modal
      opened
      size="lg"
      onClose={() => !busy && onClose()}
      title={t("keys.new.title")}
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      closeButtonProps={{ "aria-label": t("keys.new.cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (expires && !expiresAt) return;
          create.mutate(
            {
              kind: "create",
              input: {
                name: name.trim(),
                description: description.trim() || null,
                accessLevel,
                scopes,
                rateLimitPerHour: Number(perHour),
                rateLimitPerDay: Number(perDay),
                allowedIps: lines(ips),
                expiresAt,
              },
            },
            { onSuccess: (result) => result.secret && onCreated(result.key.name, result.secret) },
          );
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t("keys.new.name")}
            description={t("keys.new.nameHint")}
            required
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
          />
          <Textarea
            label={t("keys.new.description")}
            maxLength={2000}
            autosize
            minRows={2}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
          />
          <Select
            label={t("keys.new.level")}
            description={t(`keys.levelHint.${accessLevel}`)}
            data={LEVELS.map((level) => ({ value: level, label: t(`keys.level.${level}`) }))}
            value={accessLevel}
            allowDeselect={false}
            onChange={(value) => value && setAccessLevel(value as AccessLevel)}
          />
          <MultiSelect
            label={t("keys.new.scopes")}
            description={t("keys.new.scopesHint")}
            data={keys}
            value={scopes}
            onChange={setScopes}
            searchable
            nothingFoundMessage={t("keys.new.noScope")}
            maxDropdownHeight={260}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <NumberInput
              label={t("keys.new.perHour")}
              min={1}
              max={1_000_000}
              required
              value={perHour}
              onChange={setPerHour}
            />
            <NumberInput
              label={t("keys.new.perDay")}
              min={1}
              max={10_000_000}
              required
              value={perDay}
              onChange={setPerDay}
            />
          </SimpleGrid>
          <Textarea
            label={t("keys.new.ips")}
            description={t("keys.new.ipsHint")}
            autosize
            minRows={2}
            value={ips}
            onChange={(event) => setIps(event.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t("keys.new.expires")}
            description={t("keys.new.expiresHint")}
            value={expires}
            onChange={(event) => setExpires(event.currentTarget.value)}
            error={expires && !expiresAt ? t("keys.new.expiresInvalid") : undefined}
          />
          {create.error && <ApiErrorAlert error={create.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t("keys.new.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("keys.new.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
