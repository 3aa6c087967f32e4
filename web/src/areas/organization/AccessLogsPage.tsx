import { Group, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type AccessLogFilters, useAccessLogs } from "../../api/privacy";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { PagedList } from "../../ui/PagedList";
import { PersonSelect } from "../../ui/PersonSelect";
import { usePageParams } from "../../ui/usePageParams";
import { OrganizationFrame } from "./OrganizationFrame";

/**
 * `/organization/access-logs?org=…`: who read whose personal data, newest first, filtered by
 * the person read about and the person reading (in the URL; both searched among all members,
 * each entry named by the server).
 */
export function AccessLogsPage() {
  const { t } = useTranslation("privacy");
  return (
    <OrganizationFrame title={t("accessLogs.title")} permission="privacy:manage">
      {(orgId) => <AccessLogs orgId={orgId} />}
    </OrganizationFrame>
  );
}

function AccessLogs({ orgId }: { orgId: string }) {
  const { t } = useTranslation("privacy");
  const me = useSignedInMe();
  const format = useFormat();
  const params = usePageParams();
  const filters: AccessLogFilters = {
    page: params.page,
    subjectUserId: params.get("subject"),
    viewerUserId: params.get("viewer"),
  };
  const logs = useAccessLogs(me.user.id, orgId, filters);
  // the filtered people's names, from entries about them (no lookup of their member pages)
  const entries = logs.data?.items ?? [];
  const subjectName =
    entries.find((e) => e.subjectUserId === filters.subjectUserId)?.subjectName ?? null;
  const viewerName = entries.find((e) => e.viewer.userId === filters.viewerUserId)?.viewer.name;
  return (
    <Stack gap="sm" mt="md" component="section" aria-labelledby="access-heading">
      <Title order={2} id="access-heading">
        {t("accessLogs.title")}
      </Title>
      <Text size="sm">{t("accessLogs.intro")}</Text>
      <Group align="flex-end" wrap="wrap" gap="sm">
        <PersonSelect
          orgId={orgId}
          label={t("accessLogs.subject")}
          placeholder={t("accessLogs.anyone")}
          anyStatus
          lookUp={false}
          chosenName={subjectName}
          value={filters.subjectUserId}
          onChange={(value) => params.set("subject", value)}
          w={{ base: "100%", xs: 280 }}
        />
        <PersonSelect
          orgId={orgId}
          label={t("accessLogs.viewer")}
          placeholder={t("accessLogs.anyone")}
          anyStatus
          lookUp={false}
          chosenName={viewerName ?? null}
          value={filters.viewerUserId}
          onChange={(value) => params.set("viewer", value)}
          w={{ base: "100%", xs: 280 }}
        />
      </Group>
      <PagedList
        query={logs}
        page={filters.page}
        onPage={(p) => params.set("page", String(p))}
        empty={{ title: t("accessLogs.emptyTitle"), reason: t("accessLogs.emptyReason") }}
        count={(total) => t("accessLogs.count", { count: total })}
      >
        {(items) => (
          <Table.ScrollContainer minWidth={0}>
            <Table aria-labelledby="access-heading">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("accessLogs.when")}</Table.Th>
                  <Table.Th>{t("accessLogs.viewer")}</Table.Th>
                  <Table.Th>{t("accessLogs.subject")}</Table.Th>
                  <Table.Th>{t("accessLogs.what")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td>{format.dateTime(entry.createdAt)}</Table.Td>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      {entry.viewer.name ??
                        (entry.viewer.apiKeyId
                          ? t("apiKey", { id: entry.viewer.apiKeyId.slice(0, 8) })
                          : t("someone"))}
                      <Text size="xs" c="dimmed">
                        {t("accessLogs.from")}: {entry.ipAddress ?? t("accessLogs.noAddress")}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      {entry.subjectName ??
                        t("unknownPerson", { id: entry.subjectUserId.slice(0, 8) })}
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      {t(`what.${entry.what}`, { defaultValue: entry.what })}
                      {entry.detail && (
                        <Text size="xs" c="dimmed">
                          {entry.detail}
                        </Text>
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
