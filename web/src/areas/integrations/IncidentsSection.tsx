import { Badge, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Incident, useIncidents } from "../../api/integrations";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { PagedList } from "../../ui/PagedList";

/** Incidents opened by failed runs in a row, newest first. */
export function IncidentsSection({ integrationId }: { integrationId: string }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const [page, setPage] = useState(1);
  const incidents = useIncidents(me.user.id, integrationId, page);
  return (
    <Stack gap="sm" component="section" aria-labelledby="incidents-heading">
      <Title order={2} size="h3" id="incidents-heading">
        {t("incidents.heading")}
      </Title>
      <PagedList
        query={incidents}
        page={page}
        onPage={setPage}
        empty={{
          title: t("incidents.emptyTitle"),
          reason: t("incidents.emptyReason"),
          headingLevel: 3,
        }}
      >
        {(items: Incident[]) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("incidents.opened")}</Table.Th>
                  <Table.Th>{t("incidents.status")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("incidents.failures")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("incidents.resolved")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((incident) => (
                  <Table.Tr key={incident.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      {format.dateTime(incident.openedAt)}
                      {incident.lastError && (
                        <Text size="xs" c="red.9">
                          {incident.lastError}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        color={incident.status === "open" ? "red.9" : "teal.9"}
                        variant="filled"
                      >
                        {t(`incidents.statusName.${incident.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{format.number(incident.failures)}</Table.Td>
                    <Table.Td visibleFrom="sm">
                      {incident.resolvedAt ? format.dateTime(incident.resolvedAt) : "—"}
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
