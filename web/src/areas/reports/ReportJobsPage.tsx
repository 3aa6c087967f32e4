import { Anchor, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useReportJobs } from "../../api/reports";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { LabelledPagination } from "../../ui/LabelledPagination";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { ReportsNav } from "./ReportsNav";
import { JobStatusBadge } from "./shared";

/**
 * The person's report jobs in one organization (`/reports/jobs`), newest first, each linked to
 * its page. Someone in several organizations with reports picks one; the URL keeps it (`org`)
 * and the page (`page`).
 */
export function ReportJobsPage() {
  const { t } = useTranslation("reports");
  usePageTitle(t("jobs.title"));
  const [params, setParams] = useSearchParams();
  const choice = useChosenOrganization("reports:read");
  const { chosen } = choice;
  return (
    <Stack gap="md" maw={960}>
      <Title order={1}>{t("jobs.title")}</Title>
      {!chosen ? (
        <Text>{t("jobs.noOrganization")}</Text>
      ) : (
        <>
          <OrganizationSelect choice={choice} />
          <ReportsNav orgId={chosen.organization.id} />
          <Text c="dimmed">{t("jobs.intro", { organization: chosen.organization.name })}</Text>
          <JobList
            orgId={chosen.organization.id}
            page={Math.max(1, Number(params.get("page")) || 1)}
            onPage={(page) => setParams({ org: chosen.organization.id, page: String(page) })}
          />
        </>
      )}
    </Stack>
  );
}

function JobList({
  orgId,
  page,
  onPage,
}: {
  orgId: string;
  page: number;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation("reports");
  const format = useFormat();
  const me = useSignedInMe();
  const jobs = useReportJobs(me.user.id, orgId, page);
  return (
    <PageState
      query={jobs}
      pending={<Skeleton height={240} radius="md" />}
      isEmpty={(data) => data.items.length === 0}
      empty={<EmptyState title={t("jobs.emptyTitle")} reason={t("jobs.emptyReason")} />}
    >
      {(data) => {
        const pages = data.meta?.pagination.totalPages ?? 1;
        return (
          <Stack gap="sm" style={{ opacity: jobs.isPlaceholderData ? 0.6 : 1 }}>
            <Table.ScrollContainer minWidth={0}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("jobs.name")}</Table.Th>
                    <Table.Th>{t("jobs.status")}</Table.Th>
                    <Table.Th visibleFrom="sm">{t("jobs.format")}</Table.Th>
                    <Table.Th visibleFrom="sm">{t("jobs.queuedAt")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((job) => (
                    <Table.Tr key={job.id}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        <Anchor component={Link} to={`/reports/jobs/${job.id}`}>
                          {job.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <JobStatusBadge status={job.status} />
                      </Table.Td>
                      <Table.Td visibleFrom="sm">{t(`format.${job.outputFormat}`)}</Table.Td>
                      <Table.Td visibleFrom="sm">{format.dateTime(job.queuedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LabelledPagination total={pages} value={page} onChange={onPage} />
          </Stack>
        );
      }}
    </PageState>
  );
}
