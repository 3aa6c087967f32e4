import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import {
  useRotateWebhookSecret,
  useWebhookDeliveries,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookSecret,
} from "../../api/integration-webhooks";
import type { Integration } from "../../api/integrations";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PagedList } from "../../ui/PagedList";

const STATUS_COLOR: Record<WebhookDeliveryStatus, string> = {
  received: "blue.9",
  processed: "teal.9",
  failed: "red.9",
};

/**
 * An inbound-webhook integration's receiving side: the address to give the other system, its
 * signing secret (generated or rotated here, shown once), how to sign, and the deliveries.
 */
export function WebhookSection({ integration }: { integration: Integration }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const rotate = useRotateWebhookSecret(me.user.id, integration.id);
  const [shown, setShown] = useState<WebhookSecret | null>(null);
  const status = integration.webhookSecret;
  const endpoint = `${window.location.origin}/api/v1/integration-webhooks/${integration.id}`;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="webhook-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="webhook-heading">
          {t("webhook.heading")}
        </Title>
        <Text size="sm">{t("webhook.intro")}</Text>
        <Stack gap={4}>
          <Text size="sm" fw={600} id="webhook-endpoint">
            {t("webhook.endpoint")}
          </Text>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Code
              block
              aria-labelledby="webhook-endpoint"
              style={{ overflowWrap: "anywhere", whiteSpace: "pre-wrap", flex: 1 }}
              data-testid="webhook-endpoint"
            >
              {endpoint}
            </Code>
            <Copy value={endpoint} label={t("webhook.copyEndpoint")} />
          </Group>
        </Stack>

        <Text size="sm" data-testid="webhook-secret-status">
          {status?.set && status.rotatedAt
            ? t("webhook.secretSet", { date: format.dateTime(status.rotatedAt) })
            : t("webhook.secretUnset")}
        </Text>
        {status?.previousValidUntil && (
          <Text size="sm" c="dimmed">
            {t("webhook.previousValid", { date: format.dateTime(status.previousValidUntil) })}
          </Text>
        )}
        <Group gap="sm">
          <Button
            loading={rotate.isPending}
            variant={status?.set ? "default" : "filled"}
            onClick={() => rotate.mutate(undefined, { onSuccess: (data) => setShown(data) })}
          >
            {status?.set ? t("webhook.rotate") : t("webhook.generate")}
          </Button>
        </Group>
        {status?.set && !shown && (
          <Text size="xs" c="dimmed">
            {t("webhook.rotateHint")}
          </Text>
        )}
        {rotate.error && <ApiErrorAlert error={rotate.error} />}
        {shown && (
          <Alert color="blue" variant="light" title={t("webhook.secretTitle")}>
            <Stack gap="xs">
              <Text size="sm">{t("webhook.secretWarning")}</Text>
              <Code
                block
                style={{ overflowWrap: "anywhere", whiteSpace: "pre-wrap" }}
                data-testid="webhook-secret"
              >
                {shown.secret}
              </Code>
              {shown.previousValidUntil && (
                <Text size="sm">
                  {t("webhook.previousValid", {
                    date: format.dateTime(shown.previousValidUntil),
                  })}
                </Text>
              )}
              <Group gap="sm">
                <Copy value={shown.secret} label={t("webhook.copySecret")} />
                <Button size="xs" variant="default" onClick={() => setShown(null)}>
                  {t("webhook.stored")}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}

        <Title order={3} size="h4">
          {t("webhook.howTitle")}
        </Title>
        <Text size="sm">{t("webhook.how")}</Text>
        <Code block style={{ overflowWrap: "anywhere", whiteSpace: "pre-wrap" }}>
          {'Lyceum-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>'}
        </Code>
        <Text size="sm" c="dimmed">
          {t("webhook.howMore")}
        </Text>

        <Deliveries integrationId={integration.id} />
      </Stack>
    </Paper>
  );
}

function Copy({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation("integrations");
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <>
          <Button size="xs" onClick={copy} variant={copied ? "light" : "filled"}>
            {copied ? t("webhook.copied") : label}
          </Button>
          <VisuallyHidden role="status">{copied ? t("webhook.copied") : ""}</VisuallyHidden>
        </>
      )}
    </CopyButton>
  );
}

function Deliveries({ integrationId }: { integrationId: string }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const [page, setPage] = useState(1);
  const deliveries = useWebhookDeliveries(me.user.id, integrationId, page);
  return (
    <Stack gap="xs" component="section" aria-labelledby="deliveries-heading">
      <Title order={3} size="h4" id="deliveries-heading">
        {t("webhook.deliveries")}
      </Title>
      <PagedList
        query={deliveries}
        page={page}
        onPage={setPage}
        empty={{
          title: t("webhook.emptyTitle"),
          reason: t("webhook.emptyReason"),
          headingLevel: 3,
        }}
      >
        {(items: WebhookDelivery[]) => (
          <Table.ScrollContainer minWidth={0}>
            <Table data-testid="webhook-deliveries">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("webhook.delivery")}</Table.Th>
                  <Table.Th>{t("webhook.status")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("webhook.records")}</Table.Th>
                  <Table.Th>{t("webhook.run")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      {d.deliveryId}
                      <Text size="xs" c="dimmed">
                        {format.dateTime(d.receivedAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[d.status]} variant="light">
                        {t(`webhook.statusName.${d.status}`)}
                      </Badge>
                      {d.error && (
                        <Text size="xs" c="red.9" style={{ overflowWrap: "anywhere" }}>
                          {d.error}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {t("webhook.recordCounts", {
                        courses: format.number(d.courseCount),
                        enrollments: format.number(d.enrollmentCount),
                      })}
                    </Table.Td>
                    <Table.Td>
                      {d.runId ? (
                        <Anchor component={Link} to={`/integrations/runs/${d.runId}`} size="sm">
                          {t("webhook.openRun")}
                        </Anchor>
                      ) : (
                        "—"
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PagedList>
    </Stack>
  );
}
