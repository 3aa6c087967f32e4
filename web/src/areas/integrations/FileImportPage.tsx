import {
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError, isNotFound } from "../../api/errors";
import {
  type ColumnMapping,
  FILE_FIELDS,
  type FileField,
  type FileImport,
  isImportLive,
  REQUIRED_FIELDS,
  useDownloadFileResult,
  useFileImport,
  useMapFileImport,
} from "../../api/integration-files";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { IMPORT_COLOR } from "./FileImportsSection";
import { Fact } from "./IntegrationPage";
import { RUN_COLOR } from "./words";

/**
 * An imported file (`/integrations/file-imports/:fileImportId`): its first rows, the mapping of
 * its columns to Lyceum's fields (preselected with the suggestion), a dry run or the import,
 * then the run's outcome with its report and the per-row result file.
 */
export function FileImportPage() {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const { fileImportId = "" } = useParams();
  const file = useFileImport(me.user.id, fileImportId);
  const missing = file.isError && isNotFound(file.error, "fileImportId");
  usePageTitle(file.data?.fileName ?? t("files.heading"));
  return (
    <Stack gap="md" maw={1100}>
      <Anchor
        component={Link}
        to={file.data ? `/integrations/${file.data.integrationId}` : "/integrations"}
        w="fit-content"
      >
        {file.data ? t("run.backPlain") : t("list.title")}
      </Anchor>
      <Title order={1} style={{ overflowWrap: "anywhere" }}>
        {file.data?.fileName ?? t("files.heading")}
      </Title>
      {missing ? (
        <Text>{t("files.notFound")}</Text>
      ) : (
        <PageState query={file} pending={<Skeleton height={300} radius="md" />}>
          {(data) => <FileImportView file={data} />}
        </PageState>
      )}
    </Stack>
  );
}

function FileImportView({ file }: { file: FileImport }) {
  const { t } = useTranslation("integrations");
  const format = useFormat();
  const live = isImportLive(file);
  const mappable =
    !live && (file.status === "awaiting-mapping" || file.run?.dryRun || file.status === "failed");
  return (
    <Stack gap="lg">
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="file-facts">
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap">
            <Title order={2} size="h3" id="file-facts">
              {t("files.facts")}
            </Title>
            <Badge color={IMPORT_COLOR[file.status]} variant="filled">
              {t(`files.statusName.${file.status}`)}
            </Badge>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" component="dl" m={0}>
            <Fact term={t("files.format")} value={file.format.toUpperCase()} />
            <Fact term={t("files.rows")} value={format.number(file.rowCount)} />
            <Fact
              term={t("files.size")}
              value={t("files.bytes", { value: format.number(file.sizeBytes) })}
            />
            <Fact term={t("files.uploaded")} value={format.dateTime(file.createdAt)} />
            {file.sftp && (
              <Fact
                term={t("files.sftpDelivered")}
                value={
                  file.sftp.deliveredAt
                    ? format.dateTime(file.sftp.deliveredAt)
                    : (file.sftp.deliveryError ?? t("files.sftpNotDelivered"))
                }
              />
            )}
          </SimpleGrid>
        </Stack>
      </Paper>
      {file.run && <RunOutcome file={file} />}
      <SampleRows file={file} />
      {mappable && <MappingForm file={file} />}
    </Stack>
  );
}

function SampleRows({ file }: { file: FileImport }) {
  const { t } = useTranslation("integrations");
  return (
    <Stack gap="xs" component="section" aria-labelledby="sample-heading">
      <Title order={2} size="h3" id="sample-heading">
        {t("files.sample")}
      </Title>
      {file.sampleRows.length === 0 ? (
        <Text size="sm">{t("files.noRows")}</Text>
      ) : (
        // Wide files scroll sideways; the region takes focus so keyboards scroll it too.
        <Box
          tabIndex={0}
          role="region"
          aria-label={t("files.sampleRegion")}
          style={{ overflowX: "auto" }}
        >
          <Table aria-labelledby="sample-heading" withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                {file.columns.map((column) => (
                  <Table.Th key={column} style={{ whiteSpace: "nowrap" }}>
                    {column}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {file.sampleRows.map((row, i) => (
                // Sample rows have no identity beyond their place in the file.
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are fixed for the file
                <Table.Tr key={i}>
                  {file.columns.map((column, j) => (
                    <Table.Td key={column} style={{ whiteSpace: "nowrap" }}>
                      {row[j] ?? ""}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Box>
      )}
    </Stack>
  );
}

function MappingForm({ file }: { file: FileImport }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const map = useMapFileImport(me.user.id, file);
  const [mapping, setMapping] = useState<ColumnMapping>(
    () => (file.mapping ?? file.suggestedMapping) as ColumnMapping,
  );
  const columns = file.columns.map((c) => ({ value: c, label: c }));
  const errorField =
    map.error instanceof ApiError && map.error.field?.startsWith("mapping.")
      ? map.error.field.slice("mapping.".length)
      : null;
  const submit = (dryRun: boolean) => {
    const chosen = Object.fromEntries(Object.entries(mapping).filter(([, column]) => column));
    map.mutate({ mapping: chosen, dryRun });
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="mapping-heading">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit(false);
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h3" id="mapping-heading">
            {t("files.mapping")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("files.mappingHint")}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
            {FILE_FIELDS.map((field: FileField) => (
              <Select
                key={field}
                label={t(`files.field.${field}`)}
                required={REQUIRED_FIELDS.includes(field)}
                data={columns}
                value={mapping[field] ?? null}
                onChange={(value) =>
                  setMapping((current) => {
                    const next = { ...current };
                    if (value) next[field] = value;
                    else delete next[field];
                    return next;
                  })
                }
                clearable
                placeholder={t("files.notMapped")}
                error={errorField === field ? t("files.fieldError") : undefined}
                disabled={map.isPending}
                comboboxProps={{ withinPortal: true }}
              />
            ))}
          </SimpleGrid>
          {map.error && <ApiErrorAlert error={map.error} />}
          <Group gap="sm">
            <Button
              variant="default"
              loading={map.isPending && map.variables?.dryRun}
              disabled={map.isPending}
              onClick={() => submit(true)}
            >
              {t("files.dryRun")}
            </Button>
            <Button
              type="submit"
              loading={map.isPending && !map.variables?.dryRun}
              disabled={map.isPending}
            >
              {t("files.import")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function RunOutcome({ file }: { file: FileImport }) {
  const { t } = useTranslation("integrations");
  const download = useDownloadFileResult();
  const run = file.run;
  if (!run) return null;
  const live = isImportLive(file);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="outcome-heading">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h3" id="outcome-heading">
            {run.dryRun ? t("files.dryOutcome") : t("files.outcome")}
          </Title>
          <Badge color={RUN_COLOR[run.status]} variant="filled">
            {t(`runs.statusName.${run.status}`)}
          </Badge>
        </Group>
        <Text role="status" aria-live="polite" data-testid="file-outcome">
          {live ? t("files.running") : t("runs.countsText", run.counts)}
        </Text>
        {run.dryRun && !live && <Text size="sm">{t("files.dryNote")}</Text>}
        {run.error && <Text c="red.9">{run.error}</Text>}
        <Group gap="sm">
          {file.runId && (
            <Anchor component={Link} to={`/integrations/runs/${file.runId}`}>
              {t("files.report")}
            </Anchor>
          )}
          {file.resultAvailable && (
            <Button
              variant="default"
              loading={download.isPending}
              onClick={() => download.mutate(file)}
            >
              {t("files.downloadResult")}
            </Button>
          )}
        </Group>
        {download.error && <ApiErrorAlert error={download.error} />}
      </Stack>
    </Paper>
  );
}
