import { Badge, Button, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiKey, useApiKeyChange, useApiKeys } from "../../api/apiKeys";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { NewApiKeyDialog } from "./NewApiKeyDialog";
import { OrganizationFrame } from "./OrganizationFrame";
import { SecretNotice } from "./SecretNotice";

const STATUS_COLOR: Record<ApiKey["status"], string> = {
  active: "teal.9",
  inactive: "gray.8",
  expired: "grape.9",
  revoked: "red.9",
};

/**
 * The organization's API keys (`/organization/api-keys?org=…`): each with its access level,
 * scopes, limits and this hour's and today's use against them, and where it was last used.
 * People with `api-keys:manage` create keys (the full key is shown once), pause and resume
 * them, replace their secret, and revoke them for good.
 */
export function ApiKeysPage() {
  const { t } = useTranslation("organization");
  return (
    <OrganizationFrame title={t("keys.title")} permission="api-keys:read">
      {(orgId) => <ApiKeys orgId={orgId} />}
    </OrganizationFrame>
  );
}

type Pending = { kind: "rotate" | "revoke"; key: ApiKey };

function ApiKeys({ orgId }: { orgId: string }) {
  const { t } = useTranslation("organization");
  const me = useSignedInMe();
  const format = useFormat();
  const may = useOrgPermission(orgId);
  const manage = may("api-keys:manage");
  const keys = useApiKeys(me.user.id, orgId);
  const change = useApiKeyChange(me.user.id, orgId);
  const [creating, setCreating] = useState(false);
  const [asking, setAsking] = useState<Pending | null>(null);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const act = (kind: "pause" | "resume" | "rotate" | "revoke", key: ApiKey) => {
    setDone(null);
    setSecret(null);
    change.mutate(
      { kind, apiKeyId: key.id },
      {
        onSuccess: (result) => {
          setAsking(null);
          if (result.secret) setSecret({ name: key.name, secret: result.secret });
          setDone(t(`keys.done.${kind}`, { name: key.name }));
        },
        onError: () => setAsking(null),
      },
    );
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="keys-heading" mt="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2} id="keys-heading">
          {t("keys.heading")}
        </Title>
        {manage && (
          <Button
            onClick={() => {
              setSecret(null);
              setCreating(true);
            }}
          >
            {t("keys.create")}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t("keys.intro")}
      </Text>
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      {secret && (
        <SecretNotice
          title={t("keys.secretTitle", { name: secret.name })}
          text={t("keys.secretText")}
          secret={secret.secret}
          onDone={() => setSecret(null)}
        />
      )}
      {change.error && <ApiErrorAlert error={change.error} />}
      <PageState
        query={keys}
        pending={<Skeleton height={200} radius="md" />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            title={t("keys.emptyTitle")}
            reason={t("keys.emptyReason")}
            headingLevel={3}
          />
        }
      >
        {(data) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("keys.name")}</Table.Th>
                  <Table.Th>{t("keys.status")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("keys.use")}</Table.Th>
                  <Table.Th visibleFrom="md">{t("keys.lastUsed")}</Table.Th>
                  {manage && <Table.Th>{t("keys.actions")}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((key) => {
                  const live = key.status === "active" || key.status === "inactive";
                  return (
                    <Table.Tr key={key.id}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        <Text fw={500}>{key.name}</Text>
                        <Text size="xs" c="dimmed">
                          {t("keys.summary", {
                            prefix: key.prefix,
                            level: t(`keys.level.${key.accessLevel}`),
                            count: key.scopes.length,
                          })}
                        </Text>
                        {key.allowedIps.length > 0 && (
                          <Text size="xs" c="dimmed">
                            {t("keys.ips", { ips: key.allowedIps.join(", ") })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLOR[key.status]} variant="filled">
                          {t(`keys.statusName.${key.status}`)}
                        </Badge>
                        {key.expiresAt && key.status !== "revoked" && (
                          <Text size="xs" c="dimmed">
                            {t("keys.expires", { date: format.date(key.expiresAt) })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td visibleFrom="sm">
                        <Text size="sm">
                          {t("keys.hour", {
                            used: format.number(key.usage.currentHour),
                            limit: format.number(key.rateLimitPerHour),
                          })}
                        </Text>
                        <Text size="sm">
                          {t("keys.day", {
                            used: format.number(key.usage.currentDay),
                            limit: format.number(key.rateLimitPerDay),
                          })}
                        </Text>
                      </Table.Td>
                      <Table.Td visibleFrom="md">
                        {key.lastUsedAt ? (
                          <>
                            <Text size="sm">{format.dateTime(key.lastUsedAt)}</Text>
                            <Text size="xs" c="dimmed">
                              {key.lastUsedIp}
                            </Text>
                          </>
                        ) : (
                          t("keys.never")
                        )}
                      </Table.Td>
                      {manage && (
                        <Table.Td>
                          {live && (
                            <Group
                              gap={6}
                              wrap="wrap"
                              role="group"
                              aria-label={t("keys.actionsFor", { name: key.name })}
                            >
                              <Button
                                size="xs"
                                variant="default"
                                disabled={change.isPending}
                                onClick={() =>
                                  act(key.status === "active" ? "pause" : "resume", key)
                                }
                              >
                                {key.status === "active" ? t("keys.pause") : t("keys.resume")}
                              </Button>
                              <Button
                                size="xs"
                                variant="default"
                                disabled={change.isPending}
                                onClick={() => setAsking({ kind: "rotate", key })}
                              >
                                {t("keys.rotate")}
                              </Button>
                              <Button
                                size="xs"
                                variant="outline"
                                color="red.9"
                                disabled={change.isPending}
                                onClick={() => setAsking({ kind: "revoke", key })}
                              >
                                {t("keys.revoke")}
                              </Button>
                            </Group>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PageState>
      {creating && (
        <NewApiKeyDialog
          orgId={orgId}
          onClose={() => setCreating(false)}
          onCreated={(name, value) => {
            setCreating(false);
            setDone(t("keys.done.create", { name }));
            setSecret({ name, secret: value });
          }}
        />
      )}
      {asking && (
        <ConfirmDialog
          title={t(`keys.confirm.${asking.kind}Title`, { name: asking.key.name })}
          text={t(`keys.confirm.${asking.kind}Text`)}
          confirm={asking.kind === "rotate" ? t("keys.rotate") : t("keys.revoke")}
          busy={change.isPending}
          onClose={() => setAsking(null)}
          onConfirm={() => act(asking.kind, asking.key)}
        />
      )}
    </Stack>
  );
}
