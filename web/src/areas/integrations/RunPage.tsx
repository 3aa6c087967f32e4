import {
  Alert,
  Anchor,
  Badge,
  Group,
  List,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { isNotFound } from "../../api/errors";
import {
  type RecordFilters,
  RUN_ENTITIES,
  RUN_OUTCOMES,
  type SyncRun,
  useIntegration,
  useRecords,
  useRun,
} from "../../api/integrations";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { FilterSelect } from "../../ui/FilterSelect";
import { PagedList } from "../../ui/PagedList";
import { PageState } from "../../ui/PageState";
import { usePageParams } from "../../ui/usePageParams";
import { usePageTitle } from "../../ui/usePageTitle";
import { Fact } from "./IntegrationPage";
import { changeValue, RUN_COLOR, runSeconds } from "./words";

/**
 * A sync run (`/integrations/runs/:runId`): its status and counts (polled while it runs) and
 * its per-record report, filtered by outcome and kind, each change shown as before → after.
 */
export function RunPage() {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const { runId = "" } = useParams();
  const run = useRun(me.user.id, runId);
  const title = run.data
    ? t(run.data.dryRun ? "run.dryTitle" : "run.title", {
        date: format.dateTime(run.data.startedAt ?? run.data.createdAt),
      })
    : t("runs.heading");
  usePageTitle(title);
  const missing = run.isError && isNotFound(run.error, "runId");
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{title}</Title>
      {missing ? (
        <Text>{t("run.notFound")}</Text>
      ) : (
        <PageState query={run} pending={<Skeleton height={300} radius="md" />}>
          {(data) => <RunReport run={data} />}
        </PageState>
      )}
    </Stack>
  );
}

function RunReport({ run }: { run: SyncRun }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const integration = useIntegration(me.user.id, run.integrationId);
  const params = usePageParams();
  const filters: RecordFilters = {
    page: params.page,
    outcome: RUN_OUTCOMES.find((v) => v === params.get("outcome")) ?? null,
    entity: RUN_ENTITIES.find((v) => v === params.get("entity")) ?? null,
  };
  const records = useRecords(me.user.id, run.id, filters);
  const seconds = runSeconds(run);
  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/integrations/${run.integrationId}`} w="fit-content">
        {integration.data ? t("run.back", { name: integration.data.name }) : t("run.backPlain")}
      </Anchor>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="summary-heading">
        <Stack gap="sm">
          <Group gap="sm">
            <Title order={2} size="h3" id="summary-heading">
              {t("run.summary")}
            </Title>
            <Badge color={RUN_COLOR[run.status]} variant="filled">
              {t(`runs.statusName.${run.status}`)}
            </Badge>
          </Group>
          {run.dryRun && <Text size="sm">{t("run.dryNote")}</Text>}
          <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs" component="dl" m={0}>
            <Fact term={t("run.created")} value={format.number(run.counts.created)} />
            <Fact term={t("run.updated")} value={format.number(run.counts.updated)} />
            <Fact term={t("run.unchanged")} value={format.number(run.counts.unchanged)} />
            <Fact term={t("run.skipped")} value={format.number(run.counts.skipped)} />
            <Fact term={t("run.failed")} value={format.number(run.counts.failed)} />
            <Fact term={t("runs.trigger")} value={t(`runs.triggerName.${run.trigger}`)} />
            <Fact
              term={t("runs.duration")}
              value={seconds === null ? "—" : t("runs.seconds", { value: format.number(seconds) })}
            />
            <Fact term={t("run.pages")} value={format.number(run.pages)} />
            <Fact term={t("run.calls")} value={format.number(run.remoteCalls)} />
            <Fact
              term={t("run.remoteTime")}
              value={t("healthCard.ms", { value: format.number(run.remoteMs) })}
            />
            {run.phase && <Fact term={t("run.phase")} value={t(`run.phaseName.${run.phase}`)} />}
          </SimpleGrid>
          {run.error && (
            <Alert color="red" variant="light" title={t("run.error")}>
              {run.error}
            </Alert>
          )}
        </Stack>
      </Paper>
      <Stack gap="sm" component="section" aria-labelledby="records-heading">
        <Title order={2} size="h3" id="records-heading">
          {t("run.report")}
        </Title>
        <Group gap="sm" wrap="wrap">
          <FilterSelect
            label={t("run.outcome")}
            any={t("any")}
            options={RUN_OUTCOMES.map((v) => ({ value: v, label: t(`run.outcomeName.${v}`) }))}
            value={filters.outcome}
            onChange={(v) => params.set("outcome", v)}
            w={{ base: "100%", xs: 200 }}
          />
          <FilterSelect
            label={t("run.entity")}
            any={t("any")}
            options={RUN_ENTITIES.map((v) => ({ value: v, label: t(`run.entityName.${v}`) }))}
            value={filters.entity}
            onChange={(v) => params.set("entity", v)}
            w={{ base: "100%", xs: 200 }}
          />
        </Group>
        <PagedList
          query={records}
          page={params.page}
          onPage={(page) => params.set("page", String(page))}
          count={(count) => t("run.count", { count })}
          empty={{ title: t("run.emptyTitle"), reason: t("run.emptyReason"), headingLevel: 3 }}
        >
          {(items) => (
            <Table.ScrollContainer minWidth={0}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("run.externalId")}</Table.Th>
                    <Table.Th>{t("run.outcome")}</Table.Th>
                    <Table.Th>{t("run.changes")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((record) => (
                    <Table.Tr key={record.id}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        <Text size="sm" fw={500}>
                          {record.externalId}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {t(`run.entityName.${record.entity}`)}
                        </Text>
                      </Table.Td>
                      <Table.Td>{t(`run.outcomeName.${record.outcome}`)}</Table.Td>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        {record.reason && <Text size="sm">{record.reason}</Text>}
                        {record.changes && Object.keys(record.changes).length > 0 && (
                          <List size="xs" spacing={2}>
                            {Object.entries(record.changes).map(([field, change]) => (
                              <List.Item key={field}>
                                {t("run.change", {
                                  field,
                                  before: changeValue(change[0], t("run.empty")),
                                  after: changeValue(change[1], t("run.empty")),
                                })}
                              </List.Item>
                            ))}
                          </List>
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
    </Stack>
  );
}
