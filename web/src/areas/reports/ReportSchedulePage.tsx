import {
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import {
  type ReportSchedule,
  useReportSchedule,
  useReportTemplate,
  useScheduleAction,
  useScheduleRuns,
} from "../../api/reports";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { ActionOutcome, JobStatusBadge, RefusalPage, refusalOf, useActionRow } from "./shared";

type Format = ReturnType<typeof useFormat>;

/** The schedule's calendar in words, in the schedule's own time zone ("Every Monday at 08:00"). */
export function scheduleInWords(s: ReportSchedule, t: TFunction<"reports">, format: Format) {
  const time = s.time;
  const day = s.dayOfMonth ?? 1;
  switch (s.frequency) {
    case "cron":
      return t("schedule.frequency.cron", { expression: s.cronExpression ?? "" });
    case "weekly":
    case "biweekly":
      return t(`schedule.frequency.${s.frequency}`, {
        weekday: format.weekday(s.dayOfWeek ?? 1),
        time,
      });
    case "monthly":
    case "quarterly":
      return t(`schedule.frequency.${s.frequency}`, { day, time });
    case "yearly":
      return t("schedule.frequency.yearly", {
        date: format.monthDay(s.monthOfYear ?? 1, day),
        time,
      });
    default:
      return t(`schedule.frequency.${s.frequency}`, { time });
  }
}

/**
 * A report schedule (`/reports/schedules/:scheduleId`, the link of a failed scheduled run):
 * its template, calendar in words, next run in the person's zone, who is told, its last runs,
 * and pause, resume and run now.
 */
export function ReportSchedulePage() {
  const { t } = useTranslation("reports");
  const { scheduleId = "" } = useParams();
  const me = useSignedInMe();
  const schedule = useReportSchedule(me.user.id, scheduleId);
  const refusal = refusalOf(schedule.error, "scheduleId");
  usePageTitle(schedule.data?.name ?? (refusal ? t("refusal.scheduleTitle") : t("jobs.title")));
  if (refusal) return <RefusalPage kind={refusal} title={t("refusal.scheduleTitle")} />;
  return (
    <PageState
      query={schedule}
      pending={<Skeleton height={240} radius="md" maw={720} aria-hidden />}
    >
      {(data) => <ScheduleView schedule={data} />}
    </PageState>
  );
}

function recipientsOf(s: ReportSchedule, t: TFunction<"reports">): string {
  if (s.notifyOnComplete && s.notifyOnFailure) return t("schedule.recipientsAuthor");
  if (s.notifyOnComplete) return t("schedule.recipientsReady");
  if (s.notifyOnFailure) return t("schedule.recipientsFailed");
  return t("schedule.recipientsNone");
}

function ScheduleView({ schedule }: { schedule: ReportSchedule }) {
  const { t } = useTranslation("reports");
  const format = useFormat();
  const me = useSignedInMe();
  const template = useReportTemplate(me.user.id, schedule.templateId, schedule.organizationId);
  const none = t("job.none");
  const lastRun = schedule.lastRunAt
    ? `${format.dateTime(schedule.lastRunAt)}${
        schedule.lastRunStatus ? ` (${t(`schedule.lastRunStatus.${schedule.lastRunStatus}`)})` : ""
      }`
    : none;
  const rows: Array<[string, string]> = [
    [t("schedule.when"), scheduleInWords(schedule, t, format)],
    [t("schedule.zone"), schedule.timezone],
    [
      t("schedule.nextRun"),
      schedule.nextRunAt ? format.dateTime(schedule.nextRunAt) : t("schedule.noNextRun"),
    ],
    [t("schedule.lastRun"), lastRun],
    [
      t("schedule.counts"),
      t("schedule.countsValue", {
        count: schedule.runCount,
        runs: format.number(schedule.runCount),
        failures: format.number(schedule.failureCount),
      }),
    ],
    [t("schedule.format"), t(`format.${schedule.outputFormat}`, schedule.outputFormat)],
    [
      t("schedule.recipients"),
      recipientsOf(schedule, t) +
        (schedule.webhookUrl ? ` · ${t("schedule.webhook", { url: schedule.webhookUrl })}` : ""),
    ],
  ];

  return (
    <Stack gap="lg" maw={720}>
      <Stack gap={4}>
        <Title order={1}>{schedule.name}</Title>
        <Group gap="xs">
          <Text c="dimmed">
            {template.data
              ? t("schedule.templateLine", { template: template.data.name })
              : template.isError
                ? t("schedule.templateUnknown")
                : "\u00a0"}
          </Text>
          <Badge color={schedule.isActive ? "teal.9" : "gray.8"} variant="filled">
            {schedule.isActive ? t("schedule.active") : t("schedule.paused")}
          </Badge>
        </Group>
        {schedule.description && <Text>{schedule.description}</Text>}
      </Stack>

      <ScheduleActions schedule={schedule} />

      <Table variant="vertical" withTableBorder layout="fixed">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w="40%">{label}</Table.Th>
              <Table.Td style={{ overflowWrap: "anywhere" }}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <LastRuns schedule={schedule} />
    </Stack>
  );
}

function ScheduleActions({ schedule }: { schedule: ReportSchedule }) {
  const { t } = useTranslation("reports");
  const me = useSignedInMe();
  const may = useOrgPermission(schedule.organizationId);
  const pause = useScheduleAction(me.user.id, "pause");
  const resume = useScheduleAction(me.user.id, "resume");
  const runNow = useScheduleAction(me.user.id, "run-now");
  const { done, setDone, busy, error, reset } = useActionRow([pause, resume, runNow]);
  // Changing a schedule is for its author and report managers; running and resuming make
  // files, so they need reports:export too.
  if (schedule.createdBy !== me.user.id && !may("reports:manage")) return null;
  const mayExport = may("reports:export");
  const act = (mutation: typeof pause, message: string) => {
    reset();
    mutation.mutate(schedule, { onSuccess: () => setDone(message) });
  };

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Group gap="sm">
          {schedule.isActive ? (
            <Button
              variant="outline"
              loading={pause.isPending}
              disabled={busy}
              onClick={() => act(pause, t("schedule.pausedDone"))}
            >
              {t("schedule.pause")}
            </Button>
          ) : (
            mayExport && (
              <Button
                loading={resume.isPending}
                disabled={busy}
                onClick={() => act(resume, t("schedule.resumed"))}
              >
                {t("schedule.resume")}
              </Button>
            )
          )}
          {mayExport && (
            <Button
              variant="default"
              loading={runNow.isPending}
              disabled={busy}
              onClick={() => act(runNow, t("schedule.queued"))}
            >
              {t("schedule.runNow")}
            </Button>
          )}
        </Group>
        <ActionOutcome done={done} error={error} />
      </Stack>
    </Paper>
  );
}

function LastRuns({ schedule }: { schedule: ReportSchedule }) {
  const { t } = useTranslation("reports");
  const format = useFormat();
  const me = useSignedInMe();
  const runs = useScheduleRuns(me.user.id, schedule.organizationId, schedule.id);
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {t("schedule.runs")}
      </Title>
      <PageState
        query={runs}
        pending={<Skeleton height={80} />}
        isEmpty={(data) => data.items.length === 0}
        empty={<Text c="dimmed">{t("schedule.runsEmpty")}</Text>}
      >
        {(data) => (
          <List listStyleType="none" spacing="xs" aria-label={t("schedule.runs")}>
            {data.items.map((job) => (
              <List.Item key={job.id}>
                <Group gap="sm" wrap="wrap">
                  <Anchor component={Link} to={`/reports/jobs/${job.id}`}>
                    {format.dateTime(job.queuedAt)}
                  </Anchor>
                  <JobStatusBadge status={job.status} />
                </Group>
              </List.Item>
            ))}
          </List>
        )}
      </PageState>
    </Stack>
  );
}
