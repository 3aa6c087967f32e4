import { Anchor, Badge, Button, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useWebhookChange, useWebhooks, type Webhook } from "../../api/webhooks";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { OrganizationFrame } from "./OrganizationFrame";
import { SecretNotice } from "./SecretNotice";
import { WebhookFormDialog } from "./WebhookForm";

export const WEBHOOK_STATUS_COLOR: Record<Webhook["status"], string> = {
  active: "teal.9",
  disabled: "red.9",
};

/**
 * The organization's outbound webhooks (`/organization/webhooks?org=…`): where events are
 * sent, which, and whether the address still answers. People with `integrations:manage` add
 * one (its signing secret is shown once) and open each to change, test or follow its
 * deliveries.
 */
export function WebhooksPage() {
  const { t } = useTranslation("organization");
  return (
    <OrganizationFrame title={t("webhooks.title")} permission="integrations:manage">
      {(orgId) => <Webhooks orgId={orgId} />}
    </OrganizationFrame>
  );
}

function Webhooks({ orgId }: { orgId: string }) {
  const { t } = useTranslation("organization");
  const me = useSignedInMe();
  const format = useFormat();
  const hooks = useWebhooks(me.user.id, orgId);
  const change = useWebhookChange(me.user.id);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  return (
    <Stack gap="sm" component="section" aria-labelledby="webhooks-heading" mt="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2} id="webhooks-heading">
          {t("webhooks.heading")}
        </Title>
        <Button
          onClick={() => {
            setSecret(null);
            change.reset();
            setCreating(true);
          }}
        >
          {t("webhooks.create")}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t("webhooks.intro")}
      </Text>
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      {secret && (
        <SecretNotice
          title={t("webhooks.secretTitle")}
          text={t("webhooks.secretText")}
          secret={secret}
          onDone={() => setSecret(null)}
        />
      )}
      <PageState
        query={hooks}
        pending={<Skeleton height={160} radius="md" />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            title={t("webhooks.emptyTitle")}
            reason={t("webhooks.emptyReason")}
            headingLevel={3}
          />
        }
      >
        {(data) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("webhooks.url")}</Table.Th>
                  <Table.Th>{t("webhooks.status")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("webhooks.events")}</Table.Th>
                  <Table.Th visibleFrom="md">{t("webhooks.lastDelivery")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((hook) => (
                  <Table.Tr key={hook.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Anchor component={Link} to={`/organization/webhooks/${hook.id}`} fw={500}>
                        {hook.url}
                      </Anchor>
                      {hook.description && (
                        <Text size="xs" c="dimmed">
                          {hook.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={WEBHOOK_STATUS_COLOR[hook.status]} variant="filled">
                        {t(`webhooks.statusName.${hook.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      <Text size="sm">{hook.eventTypes.join(", ")}</Text>
                    </Table.Td>
                    <Table.Td visibleFrom="md">
                      {hook.lastDeliveryAt ? format.dateTime(hook.lastDeliveryAt) : t("keys.never")}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PageState>
      {creating && (
        <WebhookFormDialog
          title={t("webhooks.newTitle")}
          submit={t("webhooks.create")}
          busy={change.isPending}
          error={change.error}
          onClose={() => setCreating(false)}
          onSubmit={(input) =>
            change.mutate(
              { kind: "create", orgId, input },
              {
                onSuccess: (result) => {
                  setCreating(false);
                  setSecret(result.secret ?? null);
                  setDone(t("webhooks.done.create", { url: input.url }));
                },
              },
            )
          }
        />
      )}
    </Stack>
  );
}
