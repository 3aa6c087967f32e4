import { Badge, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  DELIVERY_STATUSES,
  type DeliveryFilters,
  type DeliveryStatus,
  type NotificationDelivery,
  TEMPLATE_CHANNELS,
  type TemplateChannel,
  useNotificationDeliveries,
  useNotificationTypes,
} from "../../api/notificationTemplates";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { FilterSelect } from "../../ui/FilterSelect";
import { PagedList } from "../../ui/PagedList";
import { PersonSelect } from "../../ui/PersonSelect";
import { usePageParams } from "../../ui/usePageParams";
import { OrganizationFrame } from "../organization/OrganizationFrame";

export const DELIVERY_STATUS_COLOR: Record<DeliveryStatus, string> = {
  held: "gray.8",
  queued: "blue.9",
  sent: "teal.9",
  failed: "red.9",
  bounced: "red.9",
  opened: "grape.9",
  clicked: "indigo.9",
};

/** The filters of the log, read from the page's address (`status`, `channel`, `type`, `person`). */
export function deliveryFilters(
  get: (name: string) => string | null,
  page: number,
): DeliveryFilters {
  const status = get("status");
  const channel = get("channel");
  return {
    page,
    ...(status && (DELIVERY_STATUSES as readonly string[]).includes(status)
      ? { status: status as DeliveryStatus }
      : {}),
    ...(channel && (TEMPLATE_CHANNELS as readonly string[]).includes(channel)
      ? { channel: channel as TemplateChannel }
      : {}),
    ...(get("type") ? { type: get("type") as string } : {}),
    ...(get("person") ? { userId: get("person") as string } : {}),
  };
}

/**
 * `/organization/notification-log?org=…`: every message the organization's people were sent,
 * per channel, newest first, with its state, why it failed, retries, and when it was opened
 * or clicked.
 */
export function DeliveryLogPage() {
  const { t } = useTranslation("notificationTemplates");
  return (
    <OrganizationFrame title={t("log.title")} permission="organizations:update">
      {(orgId) => <DeliveryLog orgId={orgId} />}
    </OrganizationFrame>
  );
}

function DeliveryLog({ orgId }: { orgId: string }) {
  const { t } = useTranslation("notificationTemplates");
  const me = useSignedInMe();
  const format = useFormat();
  const params = usePageParams();
  const filters = deliveryFilters(params.get, params.page);
  const log = useNotificationDeliveries(me.user.id, orgId, filters);
  const types = useNotificationTypes();
  // the filtered person's name, from a message sent to them (no lookup of their member page)
  const personName = log.data?.items.find((d) => d.userId === filters.userId)?.userName ?? null;
  const typeName = (type: string) =>
    t(`types.${type}`, {
      defaultValue: types.data?.find((x) => x.type === type)?.description ?? type,
    });
  const filtered = Boolean(filters.status || filters.channel || filters.type || filters.userId);

  return (
    <Stack gap="sm" component="section" aria-labelledby="log-heading" mt="md">
      <Title order={2} id="log-heading">
        {t("log.heading")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("log.intro")}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        <FilterSelect
          label={t("log.status")}
          any={t("log.any")}
          options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`deliveryStatus.${s}`) }))}
          value={filters.status ?? null}
          onChange={(v) => params.set("status", v)}
        />
        <FilterSelect
          label={t("log.channel")}
          any={t("log.any")}
          options={TEMPLATE_CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))}
          value={filters.channel ?? null}
          onChange={(v) => params.set("channel", v)}
        />
        <FilterSelect
          label={t("log.type")}
          any={t("log.any")}
          options={(types.data ?? []).map((x) => ({ value: x.type, label: typeName(x.type) }))}
          value={filters.type ?? null}
          onChange={(v) => params.set("type", v)}
        />
        <PersonSelect
          orgId={orgId}
          label={t("log.person")}
          placeholder={t("log.anyone")}
          anyStatus
          lookUp={false}
          chosenName={personName}
          value={filters.userId ?? null}
          onChange={(v) => params.set("person", v)}
        />
      </SimpleGrid>
      <PagedList
        query={log}
        page={filters.page}
        onPage={(page) => params.set("page", String(page))}
        empty={{
          headingLevel: 3,
          title: t(filtered ? "log.noneFilteredTitle" : "log.emptyTitle"),
          reason: t(filtered ? "log.noneFilteredReason" : "log.emptyReason"),
        }}
        count={(total) => t("log.count", { count: total })}
      >
        {(items) => (
          <Table.ScrollContainer minWidth={0}>
            <Table aria-labelledby="log-heading">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("log.message")}</Table.Th>
                  <Table.Th>{t("log.status")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("log.person")}</Table.Th>
                  <Table.Th visibleFrom="md">{t("log.tracking")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((d) => (
                  <DeliveryRow
                    key={d.id}
                    delivery={d}
                    typeName={typeName(d.type)}
                    person={d.userName ?? t("log.unknownPerson")}
                    at={format.dateTime}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PagedList>
    </Stack>
  );
}

function DeliveryRow({
  delivery: d,
  typeName,
  person,
  at,
}: {
  delivery: NotificationDelivery;
  typeName: string;
  person: string;
  at: (iso: string) => string;
}) {
  const { t } = useTranslation("notificationTemplates");
  const tracking = [
    d.openedAt ? t("log.openedAt", { at: at(d.openedAt) }) : null,
    d.clickedAt ? t("log.clickedAt", { at: at(d.clickedAt) }) : null,
  ].filter(Boolean);
  return (
    <Table.Tr>
      <Table.Td style={{ overflowWrap: "anywhere" }}>
        <Text size="sm" fw={500}>
          {typeName}
        </Text>
        <Text size="xs" c="dimmed">
          {t("log.channelLine", {
            channel: t(`channels.${d.channel}`),
            language: d.language,
            version:
              d.templateVersion === 0
                ? t("log.builtinVersion")
                : t("log.version", { version: d.templateVersion }),
          })}
        </Text>
        <Text size="xs" c="dimmed">
          {at(d.queuedAt)}
        </Text>
        <Text size="xs" hiddenFrom="sm">
          {person}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="wrap">
          <Badge color={DELIVERY_STATUS_COLOR[d.status]} variant="filled">
            {t(`deliveryStatus.${d.status}`)}
          </Badge>
        </Group>
        {d.retries > 0 && <Text size="xs">{t("log.retries", { count: d.retries })}</Text>}
        {d.reason && (
          <Text size="xs" c="red.9" style={{ overflowWrap: "anywhere" }}>
            {d.reason}
          </Text>
        )}
      </Table.Td>
      <Table.Td visibleFrom="sm">{person}</Table.Td>
      <Table.Td visibleFrom="md">
        <Text size="xs">{tracking.length ? tracking.join(" · ") : t("log.notTracked")}</Text>
      </Table.Td>
    </Table.Tr>
  );
}
