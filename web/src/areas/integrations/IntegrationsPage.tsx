import { Anchor, Badge, Button, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import {
  CONNECTION_STATUSES,
  type Integration,
  type IntegrationFilters,
  LMS_TYPES,
  useAnalytics,
  useIntegrations,
} from "../../api/integrations";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { FilterRow } from "../../ui/FilterRow";
import { FilterSelect } from "../../ui/FilterSelect";
import { PagedList } from "../../ui/PagedList";
import { usePageParams } from "../../ui/usePageParams";
import { IntegrationsFrame } from "./IntegrationsFrame";
import { CONNECTION_COLOR, HEALTH_COLOR } from "./words";

/**
 * The organization's integrations (`/integrations?org=…`): name, type, connection, last sync
 * and whether it is active, filtered by type, connection and activity; "Connect a system"
 * opens the form.
 */
export function IntegrationsPage() {
  const { t } = useTranslation("integrations");
  return (
    <IntegrationsFrame
      title={t("list.title")}
      action={(orgId) => (
        <Button component={Link} to={`/integrations/new?org=${orgId}`}>
          {t("list.connect")}
        </Button>
      )}
    >
      {(orgId) => <IntegrationList orgId={orgId} />}
    </IntegrationsFrame>
  );
}

function IntegrationList({ orgId }: { orgId: string }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const params = usePageParams();
  const active = params.get("active");
  const filters: IntegrationFilters = {
    page: params.page,
    lmsType: LMS_TYPES.find((v) => v === params.get("type")) ?? null,
    connectionStatus: CONNECTION_STATUSES.find((v) => v === params.get("status")) ?? null,
    isActive: active === "yes" ? true : active === "no" ? false : null,
  };
  const filtered =
    filters.lmsType !== null || filters.connectionStatus !== null || filters.isActive !== null;
  const list = useIntegrations(me.user.id, orgId, filters);
  // Each integration's health comes with the organization's analytics (one request for all).
  const analytics = useAnalytics(me.user.id, orgId);
  const healthOf = new Map(analytics.data?.map((row) => [row.integrationId, row.health.status]));
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t("list.intro")}
      </Text>
      <FilterRow>
        <FilterSelect
          label={t("list.filterType")}
          any={t("any")}
          options={LMS_TYPES.map((v) => ({ value: v, label: t(`type.${v}`) }))}
          value={filters.lmsType}
          onChange={(v) => params.set("type", v)}
          w={{ base: "100%", xs: 200 }}
        />
        <FilterSelect
          label={t("list.filterStatus")}
          any={t("any")}
          options={CONNECTION_STATUSES.map((v) => ({ value: v, label: t(`connection.${v}`) }))}
          value={filters.connectionStatus}
          onChange={(v) => params.set("status", v)}
          w={{ base: "100%", xs: 200 }}
        />
        <FilterSelect
          label={t("list.filterActive")}
          any={t("any")}
          options={[
            { value: "yes", label: t("list.active") },
            { value: "no", label: t("list.inactive") },
          ]}
          value={active === "yes" || active === "no" ? active : null}
          onChange={(v) => params.set("active", v)}
          w={{ base: "100%", xs: 160 }}
        />
      </FilterRow>
      <PagedList
        query={list}
        page={params.page}
        onPage={(page) => params.set("page", String(page))}
        count={(count) => t("list.count", { count })}
        empty={
          filtered
            ? { title: t("list.noMatchTitle"), reason: t("list.noMatchReason") }
            : { title: t("list.emptyTitle"), reason: t("list.emptyReason") }
        }
      >
        {(items: Integration[]) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("list.name")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("list.typeColumn")}</Table.Th>
                  <Table.Th>{t("list.status")}</Table.Th>
                  <Table.Th visibleFrom="md">{t("list.lastSync")}</Table.Th>
                  <Table.Th>{t("list.healthColumn")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((integration) => (
                  <Table.Tr key={integration.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Anchor component={Link} to={`/integrations/${integration.id}`} fw={500}>
                        {integration.name}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {integration.code}
                        {integration.isActive ? "" : ` · ${t("list.inactive")}`}
                      </Text>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{t(`type.${integration.lmsType}`)}</Table.Td>
                    <Table.Td>
                      <Badge
                        color={CONNECTION_COLOR[integration.connectionStatus]}
                        variant="filled"
                      >
                        {t(`connection.${integration.connectionStatus}`)}
                      </Badge>
                      {integration.lastError && (
                        <Text size="xs" c="red.9">
                          {integration.lastError}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td visibleFrom="md">
                      {integration.lastSyncAt
                        ? format.dateTime(integration.lastSyncAt)
                        : t("never")}
                    </Table.Td>
                    <Table.Td>
                      <HealthBadge status={healthOf.get(integration.id)} />
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

function HealthBadge({ status }: { status: keyof typeof HEALTH_COLOR | undefined }) {
  const { t } = useTranslation("integrations");
  if (!status) return <Text size="sm">{t("healthCard.none")}</Text>;
  return (
    <Badge color={HEALTH_COLOR[status]} variant="outline">
      {t(`health.${status}`)}
    </Badge>
  );
}
