import {
  Button,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type Organization,
  type OrganizationChange,
  useOrganization,
  useUpdateOrganization,
} from "../../api/organization";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { useRoleNames } from "../people/roles";
import { OrganizationFrame } from "./OrganizationFrame";

/** Time zones the browser knows (every IANA zone in current browsers). */
const TIME_ZONES: string[] =
  typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];
const LOCALES = ["en", "de", "fr", "es", "it", "nl", "pt"] as const;

/**
 * The organization's settings (`/organization/settings?org=…`): its name, contact, time
 * zone and language, and who joins through its verified domains; its seats, read only.
 * People with `organizations:update` change them; only what changed is sent.
 */
export function SettingsPage() {
  const { t } = useTranslation("organization");
  return (
    <OrganizationFrame title={t("settings.title")} permission="organizations:read">
      {(orgId) => <Settings orgId={orgId} />}
    </OrganizationFrame>
  );
}

function Settings({ orgId }: { orgId: string }) {
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const organization = useOrganization(me.user.id, orgId);
  return (
    <PageState query={organization}>
      {(data) => (
        <Stack gap="xl" mt="md">
          <SettingsForm orgId={orgId} organization={data} editable={may("organizations:update")} />
          <Seats organization={data} />
        </Stack>
      )}
    </PageState>
  );
}

function SettingsForm({
  orgId,
  organization,
  editable,
}: {
  orgId: string;
  organization: Organization;
  editable: boolean;
}) {
  const { t } = useTranslation("organization");
  const { i18n } = useTranslation();
  const me = useSignedInMe();
  const update = useUpdateOrganization(me.user.id, orgId);
  const { roles, readable } = useRoleNames(orgId);
  const [edits, setEdits] = useState<OrganizationChange>({});
  const [saved, setSaved] = useState(false);
  const value = { ...organization, ...edits };
  const edit = (change: OrganizationChange) => {
    setSaved(false);
    setEdits((current) => ({ ...current, ...change }));
  };
  const languageName = (tag: string) =>
    new Intl.DisplayNames([i18n.language], { type: "language" }).of(tag) ?? tag;
  const changed = Object.keys(edits).length > 0;
  return (
    <form
      aria-labelledby="settings-heading"
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate(edits, {
          onSuccess: () => {
            setEdits({});
            setSaved(true);
          },
        });
      }}
    >
      <Stack gap="sm">
        <Title order={2} id="settings-heading">
          {t("settings.heading")}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label={t("settings.name")}
            required
            maxLength={200}
            value={value.name}
            readOnly={!editable}
            onChange={(event) => edit({ name: event.currentTarget.value })}
          />
          <TextInput label={t("settings.slug")} value={organization.slug} readOnly />
          <TextInput
            label={t("settings.contactName")}
            maxLength={200}
            value={value.contactName ?? ""}
            readOnly={!editable}
            onChange={(event) => edit({ contactName: event.currentTarget.value || null })}
          />
          <TextInput
            type="email"
            label={t("settings.contactEmail")}
            value={value.contactEmail ?? ""}
            readOnly={!editable}
            onChange={(event) => edit({ contactEmail: event.currentTarget.value || null })}
          />
          <Select
            label={t("settings.timezone")}
            description={t("settings.timezoneHint")}
            data={
              TIME_ZONES.includes(value.timezone) ? TIME_ZONES : [value.timezone, ...TIME_ZONES]
            }
            value={value.timezone}
            searchable
            allowDeselect={false}
            readOnly={!editable}
            onChange={(zone) => zone && edit({ timezone: zone })}
          />
          <Select
            label={t("settings.locale")}
            description={t("settings.localeHint")}
            data={[...new Set([value.locale, ...LOCALES])].map((tag) => ({
              value: tag,
              label: languageName(tag),
            }))}
            value={value.locale}
            allowDeselect={false}
            readOnly={!editable}
            onChange={(tag) => tag && edit({ locale: tag })}
          />
        </SimpleGrid>
        <Title order={3} size="h4" mt="sm">
          {t("settings.joining")}
        </Title>
        <Text size="sm">
          {organization.domains.length
            ? t("settings.domains", { domains: organization.domains.join(", ") })
            : t("settings.noDomains")}
        </Text>
        <Checkbox
          label={t("settings.autoJoin")}
          description={t("settings.autoJoinHint")}
          checked={value.autoJoin}
          disabled={!editable}
          onChange={(event) => edit({ autoJoin: event.currentTarget.checked })}
        />
        {readable && (
          <Select
            label={t("settings.autoJoinRole")}
            data={roles.map((r) => ({ value: r.key, label: r.name }))}
            value={value.autoJoinRole}
            allowDeselect={false}
            readOnly={!editable}
            onChange={(key) => key && edit({ autoJoinRole: key })}
            maw={360}
          />
        )}
        {update.error && <ApiErrorAlert error={update.error} />}
        {editable && (
          <Group gap="sm">
            <Button type="submit" disabled={!changed} loading={update.isPending}>
              {t("settings.save")}
            </Button>
            <Button
              variant="default"
              disabled={!changed || update.isPending}
              onClick={() => {
                update.reset();
                setEdits({});
              }}
            >
              {t("settings.discard")}
            </Button>
          </Group>
        )}
        <Text size="sm" role="status" aria-live="polite">
          {saved && !changed ? t("settings.saved") : ""}
        </Text>
      </Stack>
    </form>
  );
}

function Seats({ organization }: { organization: Organization }) {
  const { t } = useTranslation("organization");
  const format = useFormat();
  const { seats } = organization;
  return (
    <Stack gap="xs" component="section" aria-labelledby="seats-heading">
      <Title order={2} id="seats-heading">
        {t("settings.seats")}
      </Title>
      <Text>
        {seats.purchased === null
          ? t("settings.seatsUnlimited", { used: format.number(seats.used) })
          : t("settings.seatsLimited", {
              used: format.number(seats.used),
              purchased: format.number(seats.purchased),
              available: format.number(seats.available ?? 0),
            })}
      </Text>
      <Text size="sm" c="dimmed">
        {t("settings.seatsHint")}
      </Text>
    </Stack>
  );
}
