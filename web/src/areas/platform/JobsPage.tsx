import { Badge, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type JobStatus, usePlatformJobs } from "../../api/platform";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { FilterSelect } from "../../ui/FilterSelect";
import { PagedList } from "../../ui/PagedList";
import { usePageParams } from "../../ui/usePageParams";
import { PlatformFrame } from "./PlatformFrame";

const STATUSES: readonly JobStatus[] = ["queued", "running", "completed", "failed", "cancelled"];
const COLOR: Record<string, string> = {
  queued: "blue.9",
  running: "grape.9",
  completed: "teal.9",
  failed: "red.9",
  cancelled: "gray.8",
};

/** Background jobs (`/platform/jobs`), newest first, refreshed every ten seconds. */
export function JobsPage() {
  const { t } = useTranslation("platform");
  return (
    <PlatformFrame title={t("jobs.title")} permission="jobs:read">
      <Jobs />
    </PlatformFrame>
  );
}

function Jobs() {
  const { t } = useTranslation("platform");
  const me = useSignedInMe();
  const format = useFormat();
  const params = usePageParams();
  const status = STATUSES.find((s) => s === params.get("status")) ?? null;
  const jobs = usePlatformJobs(me.user.id, params.page, status);
  return (
    <Stack gap="sm">
      <FilterSelect
        label={t("jobs.status")}
        any={t("anyStatus")}
        options={STATUSES.map((s) => ({ value: s, label: t(`jobs.statusName.${s}`) }))}
        value={status}
        onChange={(value) => params.set("status", value)}
        w={{ base: "100%", xs: 220 }}
      />
      <PagedList
        query={jobs}
        page={params.page}
        onPage={(page) => params.set("page", String(page))}
        empty={{ title: t("nothingTitle"), reason: t("nothingReason") }}
      >
        {(items) => (
          <>
            <Table.ScrollContainer minWidth={0}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("jobs.name")}</Table.Th>
                    <Table.Th>{t("jobs.status")}</Table.Th>
                    <Table.Th visibleFrom="sm">{t("jobs.attempts")}</Table.Th>
                    <Table.Th visibleFrom="md">{t("jobs.created")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((job) => (
                    <Table.Tr key={job.id}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        <Text size="sm" fw={500}>
                          {job.name}
                        </Text>
                        {job.lastError && (
                          <Text size="xs" c="red.9">
                            {job.lastError}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={COLOR[job.status] ?? "gray.8"} variant="filled">
                          {t(`jobs.statusName.${job.status}`, { defaultValue: job.status })}
                        </Badge>
                      </Table.Td>
                      <Table.Td visibleFrom="sm">
                        {t("jobs.attemptsOf", { attempts: job.attempts, max: job.maxAttempts })}
                      </Table.Td>
                      <Table.Td visibleFrom="md">{format.dateTime(job.createdAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </PagedList>
    </Stack>
  );
}
