import { Anchor, Badge, Button, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import {
  type OutboundDelivery,
  useOutboundDeliveries,
  useWebhook,
  useWebhookChange,
  type Webhook,
} from "../../api/webhooks";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { EmptyState } from "../../ui/EmptyState";
import { LabelledPagination } from "../../ui/LabelledPagination";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { SecretNotice } from "./SecretNotice";
import { WebhookFormDialog } from "./WebhookForm";
import { WEBHOOK_STATUS_COLOR } from "./WebhooksPage";

const DELIVERY_COLOR: Record<OutboundDelivery["status"], string> = {
  pending: "blue.9",
  delivered: "teal.9",
  failed: "orange.9",
  dead: "red.9",
};

/**
 * One outbound webhook (`/organization/webhooks/:webhookId`): its address, events and state;
 * change it, disable or enable it, send a test event, replace its secret, remove it; and its
 * deliveries with the receiver's answers, each of which can be sent again.
 */
export function WebhookPage() {
  const { t } = useTranslation("organization");
  const { webhookId = "" } = useParams();
  const me = useSignedInMe();
  const hook = useWebhook(me.user.id, webhookId);
  usePageTitle(t("webhooks.oneTitle"));
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{t("webhooks.oneTitle")}</Title>
      <PageState query={hook} pending={<Skeleton height={200} radius="md" />}>
        {(data) => <WebhookDetail hook={data} />}
      </PageState>
    </Stack>
  );
}

function WebhookDetail({ hook }: { hook: Webhook }) {
  const { t } = useTranslation("organization");
  const me = useSignedInMe();
  const format = useFormat();
  const navigate = useNavigate();
  const change = useWebhookChange(me.user.id);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const deliveries = useOutboundDeliveries(me.user.id, hook.id, page);
  const ownedByKey = hook.apiKeyId !== null;
  const back = `/organization/webhooks?org=${hook.organizationId}`;

  const run = (kind: "test" | "rotate" | "enable" | "disable") => {
    setDone(null);
    setSecret(null);
    const request =
      kind === "enable" || kind === "disable"
        ? ({
            kind: "update",
            id: hook.id,
            input: { status: kind === "enable" ? "active" : "disabled" },
          } as const)
        : ({ kind, id: hook.id } as const);
    change.mutate(request, {
      onSuccess: (result) => {
        if (result.secret) setSecret(result.secret);
        if (kind === "test" && result.delivery)
          setDone(
            t(`webhooks.done.test.${result.delivery.status === "delivered" ? "ok" : "failed"}`, {
              status: result.delivery.responseStatus ?? "—",
            }),
          );
        else setDone(t(`webhooks.done.${kind}`));
      },
    });
  };

  return (
    <Stack gap="md">
      <Anchor component={Link} to={back} size="sm">
        {t("webhooks.back")}
      </Anchor>
      <Stack gap={4}>
        <Text fw={600} style={{ overflowWrap: "anywhere" }}>
          {hook.url}
        </Text>
        {hook.description && <Text size="sm">{hook.description}</Text>}
        <Group gap="xs">
          <Badge color={WEBHOOK_STATUS_COLOR[hook.status]} variant="filled">
            {t(`webhooks.statusName.${hook.status}`)}
          </Badge>
          {hook.consecutiveFailures > 0 && (
            <Text size="sm">{t("webhooks.failures", { count: hook.consecutiveFailures })}</Text>
          )}
        </Group>
        {hook.disabledReason && (
          <Text size="sm">{t("webhooks.disabledReason", { reason: hook.disabledReason })}</Text>
        )}
        <Text size="sm">{t("webhooks.subscribed", { events: hook.eventTypes.join(", ") })}</Text>
        {ownedByKey && (
          <Text size="sm" c="dimmed">
            {t("webhooks.ownedByKey")}
          </Text>
        )}
      </Stack>
      <Group gap="xs" wrap="wrap" role="group" aria-label={t("webhooks.actions")}>
        {!ownedByKey && (
          <Button size="xs" variant="default" onClick={() => setEditing(true)}>
            {t("webhooks.edit")}
          </Button>
        )}
        {hook.status === "active" ? (
          <>
            <Button size="xs" onClick={() => run("test")} loading={change.isPending}>
              {t("webhooks.test")}
            </Button>
            <Button size="xs" variant="default" onClick={() => run("disable")}>
              {t("webhooks.disable")}
            </Button>
          </>
        ) : (
          <Button size="xs" onClick={() => run("enable")}>
            {t("webhooks.enable")}
          </Button>
        )}
        <Button size="xs" variant="default" onClick={() => run("rotate")}>
          {t("webhooks.rotate")}
        </Button>
        {!ownedByKey && (
          <Button size="xs" variant="outline" color="red.9" onClick={() => setDeleting(true)}>
            {t("webhooks.delete")}
          </Button>
        )}
      </Group>
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
      {change.error && !editing ? <ApiErrorAlert error={change.error} /> : null}

      <Stack gap="sm" component="section" aria-labelledby="deliveries-heading">
        <Title order={2} id="deliveries-heading">
          {t("webhooks.deliveries")}
        </Title>
        <PageState
          query={deliveries}
          pending={<Skeleton height={120} radius="md" />}
          isEmpty={(data) => data.items.length === 0}
          empty={
            <EmptyState
              title={t("webhooks.noDeliveries")}
              reason={t("webhooks.noDeliveriesReason")}
              headingLevel={3}
            />
          }
        >
          {(data) => (
            <>
              <Table.ScrollContainer minWidth={0}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("webhooks.event")}</Table.Th>
                      <Table.Th>{t("webhooks.status")}</Table.Th>
                      <Table.Th>{t("webhooks.response")}</Table.Th>
                      <Table.Th visibleFrom="sm">{t("webhooks.attempts")}</Table.Th>
                      <Table.Th visibleFrom="md">{t("webhooks.created")}</Table.Th>
                      <Table.Th>{t("webhooks.actions")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((d) => (
                      <Table.Tr key={d.id}>
                        <Table.Td style={{ overflowWrap: "anywhere" }}>{d.eventType}</Table.Td>
                        <Table.Td>
                          <Badge color={DELIVERY_COLOR[d.status]} variant="filled">
                            {t(`webhooks.deliveryStatus.${d.status}`)}
                          </Badge>
                          {d.error && (
                            <Text size="xs" style={{ overflowWrap: "anywhere" }}>
                              {d.error}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>{d.responseStatus ?? "—"}</Table.Td>
                        <Table.Td visibleFrom="sm">{d.attempts}</Table.Td>
                        <Table.Td visibleFrom="md">{format.dateTime(d.createdAt)}</Table.Td>
                        <Table.Td>
                          <Button
                            size="xs"
                            variant="default"
                            disabled={hook.status !== "active" || change.isPending}
                            aria-label={t("webhooks.redeliverOne", { event: d.eventType })}
                            onClick={() =>
                              change.mutate(
                                { kind: "redeliver", deliveryId: d.id },
                                { onSuccess: () => setDone(t("webhooks.done.redeliver")) },
                              )
                            }
                          >
                            {t("webhooks.redeliver")}
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {(data.meta?.pagination?.totalPages ?? 1) > 1 && (
                <LabelledPagination
                  total={data.meta?.pagination?.totalPages ?? 1}
                  value={page}
                  onChange={setPage}
                />
              )}
            </>
          )}
        </PageState>
      </Stack>

      {editing && (
        <WebhookFormDialog
          title={t("webhooks.editTitle")}
          submit={t("webhooks.save")}
          initial={{ url: hook.url, description: hook.description, eventTypes: hook.eventTypes }}
          busy={change.isPending}
          error={change.error}
          onClose={() => {
            change.reset();
            setEditing(false);
          }}
          onSubmit={(input) =>
            change.mutate(
              { kind: "update", id: hook.id, input },
              {
                onSuccess: () => {
                  setEditing(false);
                  setDone(t("webhooks.done.update"));
                },
              },
            )
          }
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t("webhooks.confirmDeleteTitle")}
          text={t("webhooks.confirmDeleteText")}
          confirm={t("webhooks.delete")}
          busy={change.isPending}
          onClose={() => setDeleting(false)}
          onConfirm={() =>
            change.mutate({ kind: "delete", id: hook.id }, { onSuccess: () => navigate(back) })
          }
        />
      )}
    </Stack>
  );
}
