import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import {
  isFinished,
  type ReportJob,
  useDownloadLink,
  useJobAction,
  useReportJob,
  useReportJobStatus,
} from "../../api/reports";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { ActionOutcome, JobStatusBadge, RefusalPage, refusalOf, useActionRow } from "./shared";

/** Starts the browser's download of a same-origin file link. */
function startDownload(path: string) {
  const link = document.createElement("a");
  link.href = path;
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * A report job (`/reports/jobs/:jobId`, the link of "your report is ready" notices): what it
 * is, its status with a live progress bar while it waits or runs (GET …/status every two
 * seconds), its file, its error, and the actions the person may take.
 */
export function ReportJobPage() {
  const { t } = useTranslation("reports");
  const { jobId = "" } = useParams();
  const me = useSignedInMe();
  const job = useReportJob(me.user.id, jobId);
  const refusal = refusalOf(job.error, "jobId");
  usePageTitle(job.data?.name ?? (refusal ? t("refusal.jobTitle") : t("jobs.title")));
  if (refusal) return <RefusalPage kind={refusal} title={t("refusal.jobTitle")} />;
  return (
    <PageState query={job} pending={<JobSkeleton />}>
      {(data) => <JobView job={data} />}
    </PageState>
  );
}

function JobSkeleton() {
  return (
    <Stack gap="md" maw={720}>
      <Skeleton height={36} width="60%" />
      <Skeleton height={24} width="30%" />
      <Skeleton height={200} radius="md" />
    </Stack>
  );
}

function JobView({ job }: { job: ReportJob }) {
  const { t } = useTranslation("reports");
  const format = useFormat();
  const me = useSignedInMe();
  const running = !isFinished(job.status);
  const live = useReportJobStatus(me.user.id, job.id, running);
  const { refetch } = useReportJob(me.user.id, job.id);
  const liveStatus = live.data?.status;
  // The poll saw the job move on: load the whole job again (file, error, times).
  useEffect(() => {
    if (running && liveStatus && liveStatus !== job.status) void refetch();
  }, [running, liveStatus, job.status, refetch]);

  const progress = running ? (live.data?.progress ?? job.progress) : job.progress;
  const none = t("job.none");
  const rows: Array<[string, string]> = [
    [t("job.format"), t(`format.${job.outputFormat}`)],
    [t("job.rows"), job.file ? format.number(job.file.rows) : none],
    [t("job.size"), job.file ? format.fileSize(job.file.size) : none],
    [t("job.queuedAt"), format.dateTime(job.queuedAt)],
    [t("job.startedAt"), job.startedAt ? format.dateTime(job.startedAt) : none],
    [t("job.finishedAt"), job.finishedAt ? format.dateTime(job.finishedAt) : none],
    [t("job.fileExpiresAt"), job.file?.expiresAt ? format.dateTime(job.file.expiresAt) : none],
    [t("job.attempts"), format.number(job.attempts)],
  ];

  return (
    <Stack gap="lg" maw={720}>
      <Stack gap={4}>
        <Title order={1}>{job.name}</Title>
        <Group gap="xs">
          <Text c="dimmed">{t("job.typeLine", { type: job.reportType })}</Text>
          <Badge variant="outline" color="gray.8">
            {t(`format.${job.outputFormat}`)}
          </Badge>
        </Group>
        {job.duplicatedFrom && (
          <Anchor component={Link} to={`/reports/jobs/${job.duplicatedFrom}`} size="sm">
            {t("job.duplicatedFrom")}
          </Anchor>
        )}
      </Stack>

      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Group gap="sm">
            <JobStatusBadge status={job.status} />
            {job.cancelRequested && running && <Text size="sm">{t("job.cancelRequested")}</Text>}
          </Group>
          {running && (
            <>
              <Progress
                value={progress}
                size="lg"
                striped
                animated
                aria-label={t("job.progressLabel")}
              />
              <Text size="sm" role="status" aria-live="polite">
                {t("job.progressText", { percent: format.percent(progress) })} ·{" "}
                {job.status === "processing" ? t("job.running") : t("job.waiting")}
              </Text>
            </>
          )}
          {job.status === "failed" && job.error && (
            <Alert color="red" variant="light" title={t("job.errorTitle")}>
              <Text size="sm">{job.error.message}</Text>
            </Alert>
          )}
          <JobActions job={job} />
        </Stack>
      </Paper>

      <Stack gap="xs">
        <Title order={2} size="h3">
          {t("job.details")}
        </Title>
        <Table variant="vertical" withTableBorder layout="fixed">
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w="45%">{label}</Table.Th>
                <Table.Td>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Stack>
  );
}

/** Download, cancel, retry and duplicate, each shown when the job's state and the person allow. */
function JobActions({ job }: { job: ReportJob }) {
  const { t } = useTranslation("reports");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const may = useOrgPermission(job.organizationId);
  const mayExport = may("reports:export");
  const download = useDownloadLink();
  const cancel = useJobAction(me.user.id, "cancel");
  const retry = useJobAction(me.user.id, "retry");
  const duplicate = useJobAction(me.user.id, "duplicate");
  const { done, setDone, busy, error, reset } = useActionRow([download, cancel, retry, duplicate]);
  const showDownload = job.status === "ready" && job.file !== null && mayExport;
  const showCancel = !isFinished(job.status) && !job.cancelRequested;
  const showRetry = (job.status === "failed" || job.status === "cancelled") && mayExport;
  if (!showDownload && !showCancel && !showRetry && !mayExport) return null;

  return (
    <Stack gap="xs">
      <Group gap="sm">
        {showDownload && (
          <Button
            loading={download.isPending}
            disabled={busy}
            onClick={() => {
              reset();
              download.mutate(job.id, {
                onSuccess: (link) => {
                  startDownload(link.path);
                  setDone(t("job.downloadStarted"));
                },
              });
            }}
          >
            {t("job.download")}
          </Button>
        )}
        {showCancel && (
          <Button
            variant="outline"
            color="red"
            loading={cancel.isPending}
            disabled={busy}
            onClick={() => {
              reset();
              cancel.mutate(job.id, { onSuccess: () => setDone(t("job.cancelled")) });
            }}
          >
            {t("job.cancel")}
          </Button>
        )}
        {showRetry && (
          <Button
            variant="outline"
            loading={retry.isPending}
            disabled={busy}
            onClick={() => {
              reset();
              retry.mutate(job.id, { onSuccess: () => setDone(t("job.retried")) });
            }}
          >
            {t("job.retry")}
          </Button>
        )}
        {mayExport && (
          <Button
            variant="default"
            loading={duplicate.isPending}
            disabled={busy}
            onClick={() => {
              reset();
              duplicate.mutate(job.id, {
                onSuccess: (copy) => navigate(`/reports/jobs/${copy.id}`),
              });
            }}
          >
            {t("job.duplicate")}
          </Button>
        )}
      </Group>
      <ActionOutcome done={done} error={error} />
    </Stack>
  );
}
