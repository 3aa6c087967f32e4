import { Anchor, Badge, Checkbox, Select, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { type LearnerFilters, type LearnerSort, useLearners } from "../../api/learners";
import { useTeams } from "../../api/people";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { OVER_PEOPLE, useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { FilterRow } from "../../ui/FilterRow";
import { FilterSelect } from "../../ui/FilterSelect";
import { PagedList } from "../../ui/PagedList";
import { usePersonPrivacy } from "../../ui/personPrivacy";
import { SearchFilter } from "../../ui/SearchFilter";
import { usePageParams } from "../../ui/usePageParams";
import { usePageTitle } from "../../ui/usePageTitle";

const SORTS: readonly LearnerSort[] = ["name", "-overdue", "-progress", "progress"];

/**
 * The people a manager or administrator looks after (`/learners`): for each, their training
 * completed of all, average progress, what is overdue, their compliance standing, average
 * score and valid certificates, each opening their record. The reach follows `reports:read`
 * (a manager's teams, a department administrator's departments, or everyone); search, team,
 * overdue-only and sort are in the URL.
 */
export function LearnersPage() {
  const { t } = useTranslation("learners");
  usePageTitle(t("title"));
  const choice = useChosenOrganization("reports:read", OVER_PEOPLE);
  const { chosen } = choice;
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{t("title")}</Title>
      {!chosen ? (
        <Text>{t("noOrganization")}</Text>
      ) : (
        <>
          <OrganizationSelect choice={choice} />
          <Text c="dimmed">{t("intro", { organization: chosen.organization.name })}</Text>
          <Learners key={chosen.organization.id} orgId={chosen.organization.id} />
        </>
      )}
    </Stack>
  );
}

function Learners({ orgId }: { orgId: string }) {
  const { t } = useTranslation("learners");
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const teams = useTeams(me.user.id, orgId);
  const [params] = useSearchParams();
  const filters: LearnerFilters = {
    page: Math.max(1, Number(params.get("page")) || 1),
    search: params.get("q") ?? "",
    overdue: params.get("overdue") === "1",
    teamId: params.get("team"),
    sort: SORTS.find((s) => s === params.get("sort")) ?? "name",
  };
  const setParam = usePageParams().set;
  const teamOptions = teams.data?.items ?? [];
  return (
    <Stack gap="sm" component="section" aria-labelledby="learners-heading">
      <Title order={2} id="learners-heading">
        {t("heading")}
      </Title>
      <FilterRow>
        <SearchFilter
          label={t("search")}
          description={t("searchHint")}
          w={{ base: "100%", xs: 260 }}
        />
        {may("teams:read") && teamOptions.length > 0 && (
          <FilterSelect
            label={t("team")}
            any={t("anyTeam")}
            options={teamOptions.map((team) => ({ value: team.id, label: team.name }))}
            value={filters.teamId}
            onChange={(value) => setParam("team", value)}
            w={{ base: "100%", xs: 200 }}
          />
        )}
        <Select
          label={t("sort")}
          data={SORTS.map((s) => ({ value: s, label: t(`sorts.${s}`) }))}
          value={filters.sort}
          allowDeselect={false}
          onChange={(value) => setParam("sort", value === "name" ? null : value)}
          w={{ base: "100%", xs: 220 }}
        />
        <Checkbox
          label={t("overdueOnly")}
          checked={filters.overdue}
          onChange={(event) => setParam("overdue", event.currentTarget.checked ? "1" : null)}
          mb={8}
        />
      </FilterRow>
      <LearnersTable
        orgId={orgId}
        filters={filters}
        onPage={(page) => setParam("page", String(page))}
      />
    </Stack>
  );
}

function LearnersTable({
  orgId,
  filters,
  onPage,
}: {
  orgId: string;
  filters: LearnerFilters;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation("learners");
  const me = useSignedInMe();
  const format = useFormat();
  const person = usePersonPrivacy();
  const learners = useLearners(me.user.id, orgId, filters);
  return (
    <PagedList
      query={learners}
      page={filters.page}
      onPage={onPage}
      empty={{ title: t("emptyTitle"), reason: t("emptyReason") }}
      count={(total) => t("count", { count: total })}
    >
      {(items) => (
        <>
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("learner")}</Table.Th>
                  <Table.Th>{t("training")}</Table.Th>
                  <Table.Th>{t("compliance")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("score")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("certificates")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((l) => (
                  <Table.Tr key={l.userId}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      {l.restricted ? (
                        // Restricted: no name, and no record to open until it is lifted.
                        <Text fw={500}>{person.name(l)}</Text>
                      ) : (
                        <Anchor component={Link} to={`/learners/${l.userId}?org=${orgId}`} fw={500}>
                          {person.name(l)}
                        </Anchor>
                      )}
                      <Text size="sm" c="dimmed">
                        {l.department?.name ?? person.email(l)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {t("completedOf", { completed: l.completed, count: l.enrollments })}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t("averageProgress", { progress: format.percent(l.averageProgress) })}
                      </Text>
                      {l.overdue > 0 && (
                        <Badge color="red.9" variant="filled" size="sm" mt={2}>
                          {t("overdue", { count: l.overdue })}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {l.compliance.required === 0 ? (
                        <Text size="sm" c="dimmed">
                          {t("noCompliance")}
                        </Text>
                      ) : l.compliance.overdue > 0 ? (
                        <Badge color="red.9" variant="outline">
                          {t("complianceOverdue", { count: l.compliance.overdue })}
                        </Badge>
                      ) : (
                        <Badge color="teal.9" variant="outline">
                          {t("onTrack")}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {l.averageScore === null ? "—" : format.percent(l.averageScore)}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {l.certificates ?? (l.restricted ? "—" : person.hidden)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </PagedList>
  );
}
