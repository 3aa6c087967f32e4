import { Button, Paper, Skeleton, Stack, Switch, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type PrivacySettings,
  useDownloadExport,
  useMyAccessLogs,
  useMyPrivacyRequests,
  useMyPrivacySettings,
  useRequestMyExport,
  useUpdateMyPrivacySettings,
} from "../../api/privacy";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PagedList } from "../../ui/PagedList";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { AccountNav } from "./AccountNav";

const SETTINGS: Array<keyof PrivacySettings> = ["showScores", "showActivity", "showCertificates"];

/**
 * /account/privacy: what the person's managers may see (GET/PUT /users/me/privacy), who
 * looked at their data (GET /users/me/access-logs), and a copy of their data (an export of
 * their account, downloaded as a ZIP).
 */
export function PrivacyPage() {
  const { t } = useTranslation("privacy");
  usePageTitle(t("mine.title"));
  return (
    <Stack gap="lg" maw={820}>
      <Title order={1}>{t("mine.title")}</Title>
      <AccountNav />
      <Text>{t("mine.intro")}</Text>
      <Settings />
      <WhoLooked />
      <MyExport />
    </Stack>
  );
}

function Settings() {
  const { t } = useTranslation("privacy");
  const me = useSignedInMe();
  const settings = useMyPrivacySettings(me.user.id);
  const update = useUpdateMyPrivacySettings(me.user.id);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="settings-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="settings-heading">
          {t("mine.settingsHeading")}
        </Title>
        <PageState query={settings} pending={<Skeleton h={90} radius="md" />}>
          {(current) => (
            <Stack gap="sm">
              {SETTINGS.map((key) => (
                <Switch
                  key={key}
                  label={t(`mine.${key}`)}
                  checked={current[key]}
                  disabled={update.isPending}
                  onChange={(event) => {
                    setMessage(null);
                    update.mutate(
                      { [key]: event.currentTarget.checked },
                      { onSuccess: () => setMessage(t("mine.saved")) },
                    );
                  }}
                />
              ))}
            </Stack>
          )}
        </PageState>
        {update.error && <ApiErrorAlert error={update.error} />}
        <Text size="sm" fw={600} role="status" aria-live="polite">
          {message ?? ""}
        </Text>
      </Stack>
    </Paper>
  );
}

function WhoLooked() {
  const { t } = useTranslation("privacy");
  const me = useSignedInMe();
  const format = useFormat();
  const [page, setPage] = useState(1);
  const logs = useMyAccessLogs(me.user.id, page);
  return (
    <Stack gap="sm" component="section" aria-labelledby="looked-heading">
      <Title order={2} size="h3" id="looked-heading">
        {t("mine.logsHeading")}
      </Title>
      <PagedList
        query={logs}
        page={page}
        onPage={setPage}
        empty={{
          title: t("mine.logsEmptyTitle"),
          reason: t("mine.logsEmptyReason"),
          headingLevel: 3,
        }}
        count={(total) => t("mine.logsCount", { count: total })}
      >
        {(items) => (
          <Table.ScrollContainer minWidth={0}>
            <Table aria-labelledby="looked-heading">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("mine.who")}</Table.Th>
                  <Table.Th>{t("mine.what")}</Table.Th>
                  <Table.Th>{t("mine.when")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      {entry.viewer.name ??
                        (entry.viewer.apiKeyId
                          ? t("apiKey", { id: entry.viewer.apiKeyId.slice(0, 8) })
                          : t("someone"))}
                      {entry.organizationName && (
                        <Text size="xs" c="dimmed">
                          {entry.organizationName}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{t(`what.${entry.what}`, { defaultValue: entry.what })}</Table.Td>
                    <Table.Td>{format.dateTime(entry.createdAt)}</Table.Td>
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

function MyExport() {
  const { t } = useTranslation("privacy");
  const me = useSignedInMe();
  const format = useFormat();
  const requests = useMyPrivacyRequests(me.user.id);
  const ask = useRequestMyExport(me.user.id);
  const download = useDownloadExport();
  // The copies the person asked for themselves (an organization's exports about them are its own).
  const exports = (requests.data?.items ?? []).filter(
    (r) => r.type === "export" && r.requestedBy === me.user.id,
  );
  const waiting = exports.some((r) => r.status === "requested" || r.status === "processing");
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="export-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="export-heading">
          {t("mine.exportHeading")}
        </Title>
        <Text size="sm">{t("mine.exportIntro")}</Text>
        <Button
          w="fit-content"
          loading={ask.isPending}
          disabled={waiting}
          onClick={() => ask.mutate()}
        >
          {t("mine.requestExport")}
        </Button>
        {ask.error && <ApiErrorAlert error={ask.error} />}
        {download.error && <ApiErrorAlert error={download.error} />}
        <PageState query={requests} pending={<Skeleton h={60} radius="md" />}>
          {() =>
            exports.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t("mine.noExports")}
              </Text>
            ) : (
              <Stack component="ul" gap="xs" style={{ listStyle: "none", padding: 0, margin: 0 }}>
                {exports.map((r) => {
                  const date = format.dateTime(r.createdAt);
                  return (
                    <li key={r.id}>
                      <Stack gap={4}>
                        <Text size="sm">
                          {t("mine.exportOf", { date })} · {t(`status.${r.status}`)}
                        </Text>
                        {r.status === "completed" && r.file ? (
                          <Button
                            size="xs"
                            variant="light"
                            w="fit-content"
                            loading={download.isPending && download.variables?.id === r.id}
                            aria-label={t("mine.downloadLabel", { date })}
                            onClick={() => download.mutate(r)}
                          >
                            {t("mine.download")}
                          </Button>
                        ) : r.status === "requested" || r.status === "processing" ? (
                          <Text size="sm" c="dimmed" role="status">
                            {t("mine.requested")}
                          </Text>
                        ) : null}
                      </Stack>
                    </li>
                  );
                })}
              </Stack>
            )
          }
        </PageState>
      </Stack>
    </Paper>
  );
}
