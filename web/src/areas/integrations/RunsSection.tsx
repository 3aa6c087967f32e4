import { Anchor, Badge, Stack, Table, Text, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { integrationKeys, isRunLive, type SyncRun, useRuns } from "../../api/integrations";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { PagedList } from "../../ui/PagedList";
import { RUN_COLOR, runSeconds } from "./words";

/** The integration's runs, newest first, asked again every 2 seconds while one is queued or running. */
export function RunsSection({ integrationId }: { integrationId: string }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const [page, setPage] = useState(1);
  const runs = useRuns(me.user.id, integrationId, page);
  // When the last live run ends, the integration (last sync) and its health change with it.
  const queryClient = useQueryClient();
  const live = runs.data?.items.some(isRunLive) ?? false;
  const wasLive = useRef(live);
  useEffect(() => {
    if (wasLive.current && !live)
      void queryClient.invalidateQueries({
        queryKey: integrationKeys.one(me.user.id, integrationId),
      });
    wasLive.current = live;
  }, [live, queryClient, me.user.id, integrationId]);
  return (
    <Stack gap="sm" component="section" aria-labelledby="runs-heading">
      <Title order={2} size="h3" id="runs-heading">
        {t("runs.heading")}
      </Title>
      <PagedList
        query={runs}
        page={page}
        onPage={setPage}
        empty={{ title: t("runs.emptyTitle"), reason: t("runs.emptyReason"), headingLevel: 3 }}
      >
        {(items: SyncRun[]) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("runs.started")}</Table.Th>
                  <Table.Th>{t("runs.status")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("runs.trigger")}</Table.Th>
                  <Table.Th visibleFrom="md">{t("runs.counts")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("runs.duration")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((run) => {
                  const seconds = runSeconds(run);
                  const date = format.dateTime(run.startedAt ?? run.createdAt);
                  return (
                    <Table.Tr key={run.id}>
                      <Table.Td>
                        <Anchor
                          component={Link}
                          to={`/integrations/runs/${run.id}`}
                          aria-label={t("runs.openRun", { date })}
                        >
                          {date}
                        </Anchor>
                        {run.dryRun && (
                          <Text size="xs" c="dimmed">
                            {t("runs.dry")}
                          </Text>
                        )}
                        {run.direction === "export" && (
                          <Text size="xs" c="dimmed">
                            {t("direction.export")}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={RUN_COLOR[run.status]} variant="filled">
                          {t(`runs.statusName.${run.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td visibleFrom="sm">{t(`runs.triggerName.${run.trigger}`)}</Table.Td>
                      <Table.Td visibleFrom="md">
                        <Text size="sm">{t("runs.countsText", run.counts)}</Text>
                      </Table.Td>
                      <Table.Td visibleFrom="sm">
                        {seconds === null
                          ? "—"
                          : t("runs.seconds", { value: format.number(seconds) })}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PagedList>
    </Stack>
  );
}
