import { Anchor, Badge, Button, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useReportSchedules } from "../../api/reports";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { NewScheduleDialog } from "./NewScheduleDialog";
import { scheduleInWords } from "./ReportSchedulePage";
import { ReportsNav } from "./ReportsNav";

/**
 * The report schedules the person sees in an organization (`/reports/schedules`): each with
 * its calendar in words, its next run and whether it is paused, linked to its page. People who
 * may export set up a new one, seeing its next five runs before saving.
 */
export function ReportSchedulesPage() {
  const { t } = useTranslation("reports");
  usePageTitle(t("schedules.title"));
  const choice = useChosenOrganization("reports:read");
  const { chosen } = choice;
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{t("schedules.title")}</Title>
      {!chosen ? (
        <Text>{t("jobs.noOrganization")}</Text>
      ) : (
        <>
          <OrganizationSelect choice={choice} />
          <ReportsNav orgId={chosen.organization.id} />
          <Schedules key={chosen.organization.id} orgId={chosen.organization.id} />
        </>
      )}
    </Stack>
  );
}

function Schedules({ orgId }: { orgId: string }) {
  const { t } = useTranslation("reports");
  const me = useSignedInMe();
  const format = useFormat();
  const may = useOrgPermission(orgId);
  const schedules = useReportSchedules(me.user.id, orgId);
  const [creating, setCreating] = useState(false);
  return (
    <Stack gap="sm" component="section" aria-labelledby="schedules-heading">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2} id="schedules-heading">
          {t("schedules.heading")}
        </Title>
        {may("reports:export") && (
          <Button onClick={() => setCreating(true)}>{t("schedules.create")}</Button>
        )}
      </Group>
      <PageState
        query={schedules}
        pending={<Skeleton height={200} radius="md" />}
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState
            title={t("schedules.emptyTitle")}
            reason={t("schedules.emptyReason")}
            headingLevel={3}
          />
        }
      >
        {(data) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("schedules.name")}</Table.Th>
                  <Table.Th>{t("schedule.when")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("schedule.nextRun")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Anchor component={Link} to={`/reports/schedules/${s.id}`} fw={500}>
                        {s.name}
                      </Anchor>
                      <Group gap={6} mt={2}>
                        <Badge size="sm" variant="outline" color={s.isActive ? "teal.9" : "gray.8"}>
                          {s.isActive ? t("schedule.active") : t("schedule.paused")}
                        </Badge>
                        <Text size="xs" c="dimmed">
                          {t(`templates.formats.${s.outputFormat}`)}
                        </Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{scheduleInWords(s, t, format)}</Text>
                      <Text size="xs" c="dimmed">
                        {s.timezone}
                      </Text>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {s.nextRunAt ? format.dateTime(s.nextRunAt) : t("schedule.noNextRun")}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PageState>
      {creating && <NewScheduleDialog orgId={orgId} onClose={() => setCreating(false)} />}
    </Stack>
  );
}
