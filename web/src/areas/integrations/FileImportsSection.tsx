import { Anchor, Badge, Button, FileInput, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import {
  type FileImport,
  useFileImports,
  useSftpPoll,
  useUploadFileImport,
} from "../../api/integration-files";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PagedList } from "../../ui/PagedList";

export const IMPORT_COLOR: Record<FileImport["status"], string> = {
  "awaiting-mapping": "blue.9",
  queued: "blue.9",
  processing: "grape.9",
  done: "teal.9",
  failed: "red.9",
};

/**
 * "Import a file" on the page of an integration of type file: a CSV or XLSX is uploaded, then
 * mapped on its own page (FileImportPage); below, the integration's past imports. An
 * integration that picks its files up from an SFTP server can be told to check it now.
 */
export function FileImportsSection({
  integrationId,
  sftp = false,
}: {
  integrationId: string;
  sftp?: boolean;
}) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState(0);
  const [page, setPage] = useState(1);
  const upload = useUploadFileImport(me.user.id, integrationId);
  const imports = useFileImports(me.user.id, integrationId, page);
  const poll = useSftpPoll(me.user.id, integrationId);
  return (
    <Stack gap="sm" component="section" aria-labelledby="file-imports-heading">
      <Title order={2} size="h3" id="file-imports-heading">
        {t("files.heading")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("files.intro")}
      </Text>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!file) return;
          setProgress(0);
          upload.mutate(
            { file, onProgress: setProgress },
            { onSuccess: (created) => navigate(`/integrations/file-imports/${created.id}`) },
          );
        }}
      >
        <Group gap="sm" align="flex-end" wrap="wrap">
          <FileInput
            label={t("files.file")}
            description={t("files.fileHint")}
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            value={file}
            onChange={setFile}
            clearable
            clearButtonProps={{ "aria-label": t("files.clearFile") }}
            w={{ base: "100%", xs: 360 }}
            disabled={upload.isPending}
          />
          <Button type="submit" loading={upload.isPending} disabled={!file}>
            {t("files.upload")}
          </Button>
        </Group>
      </form>
      <Text size="sm" role="status" aria-live="polite">
        {upload.isPending ? t("files.uploading", { percent: progress }) : ""}
      </Text>
      {upload.error && <ApiErrorAlert error={upload.error} />}
      {sftp && (
        <Stack gap="xs">
          <Text size="sm">{t("files.sftpIntro")}</Text>
          <Group>
            <Button variant="default" loading={poll.isPending} onClick={() => poll.mutate()}>
              {t("files.sftpPoll")}
            </Button>
          </Group>
          <Text size="sm" role="status" aria-live="polite">
            {poll.data
              ? t(poll.data.queued ? "files.sftpPollQueued" : "files.sftpPollAlready")
              : ""}
          </Text>
          {poll.error && <ApiErrorAlert error={poll.error} />}
        </Stack>
      )}
      <Title order={3} size="h4">
        {t("files.past")}
      </Title>
      <PagedList
        query={imports}
        page={page}
        onPage={setPage}
        empty={{ title: t("files.emptyTitle"), reason: t("files.emptyReason"), headingLevel: 3 }}
      >
        {(items: FileImport[]) => (
          <Table.ScrollContainer minWidth={0}>
            <Table aria-label={t("files.past")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("files.fileName")}</Table.Th>
                  <Table.Th>{t("files.status")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("files.rows")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("files.uploaded")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Anchor component={Link} to={`/integrations/file-imports/${item.id}`}>
                        {item.fileName}
                      </Anchor>
                      {item.run?.dryRun && (
                        <Text size="xs" c="dimmed">
                          {t("runs.dry")}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={IMPORT_COLOR[item.status]} variant="filled">
                        {t(`files.statusName.${item.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{format.number(item.rowCount)}</Table.Td>
                    <Table.Td visibleFrom="sm">{format.dateTime(item.createdAt)}</Table.Td>
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
