import { Button, Group, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import {
  type Assignment,
  type AssignmentFilters,
  type DueFilter,
  type EnrollmentStatus,
  type RequiredFilter,
  useAssignmentCount,
} from "../../api/assignments";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { OVER_PEOPLE, useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { FilterRow } from "../../ui/FilterRow";
import { FilterSelect } from "../../ui/FilterSelect";
import { SearchFilter } from "../../ui/SearchFilter";
import { usePageParams } from "../../ui/usePageParams";
import { usePageTitle } from "../../ui/usePageTitle";
import { AssignDialog } from "./AssignDialog";
import { AssignmentsTable } from "./AssignmentsTable";
import { type BulkAction, BulkDialog } from "./BulkDialog";

const DUE: readonly DueFilter[] = ["overdue", "due-soon", "dated", "undated"];
const REQUIRED: readonly RequiredFilter[] = ["either", "mandatory", "compliance"];
const STATUSES: readonly EnrollmentStatus[] = [
  "active",
  "completed",
  "suspended",
  "pending-payment",
  "dropped",
  "expired",
];

function oneOf<T extends string>(values: readonly T[], value: string | null): T | null {
  return values.find((v) => v === value) ?? null;
}

/**
 * Assigned training and who is late (`/assignments`): the organization's enrollments as the
 * person may see them (their teams, departments or everyone), the overdue and due-soon counts,
 * filters kept in the URL, assigning a course to people, a team or a department, and bulk
 * changes to the selected rows with a progress bar.
 */
export function AssignmentsPage() {
  const { t } = useTranslation("assignments");
  usePageTitle(t("title"));
  const choice = useChosenOrganization("enrollments:read", OVER_PEOPLE);
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
          <OrganizationAssignments key={chosen.organization.id} orgId={chosen.organization.id} />
        </>
      )}
    </Stack>
  );
}

function OrganizationAssignments({ orgId }: { orgId: string }) {
  const { t } = useTranslation("assignments");
  const may = useOrgPermission(orgId);
  const [params] = useSearchParams();
  const [assigning, setAssigning] = useState(false);
  const [bulk, setBulk] = useState<BulkAction | null>(null);
  const [selected, setSelected] = useState<Map<string, Assignment>>(new Map());
  const filters: AssignmentFilters = {
    page: Math.max(1, Number(params.get("page")) || 1),
    search: params.get("q") ?? "",
    due: oneOf(DUE, params.get("due")),
    required: oneOf(REQUIRED, params.get("required")),
    status: oneOf(STATUSES, params.get("status")),
  };
  const canManage = may("enrollments:manage", OVER_PEOPLE);

  // The selection outlives pages and filters, so rows picked on several pages change together.
  const setParam = usePageParams().set;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <DueCounts orgId={orgId} onShow={(due) => setParam("due", due)} />
        {may("enrollments:create", OVER_PEOPLE) && (
          <Button onClick={() => setAssigning(true)}>{t("assign.open")}</Button>
        )}
      </Group>
      <Stack gap="sm" component="section" aria-labelledby="assignments-heading">
        <Title order={2} id="assignments-heading">
          {t("list.heading")}
        </Title>
        <FilterRow>
          <SearchFilter label={t("list.search")} description={t("list.searchHint")} />
          <FilterSelect
            label={t("list.due")}
            any={t("due.any")}
            options={DUE.map((d) => ({ value: d, label: t(`due.${d}`) }))}
            value={filters.due}
            onChange={(value) => setParam("due", value)}
            w={{ base: "100%", xs: 200 }}
          />
          <FilterSelect
            label={t("list.required")}
            any={t("required.any")}
            options={REQUIRED.map((r) => ({ value: r, label: t(`required.${r}`) }))}
            value={filters.required}
            onChange={(value) => setParam("required", value)}
            w={{ base: "100%", xs: 200 }}
          />
          <FilterSelect
            label={t("list.status")}
            any={t("status.any")}
            options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            value={filters.status}
            onChange={(value) => setParam("status", value)}
            w={{ base: "100%", xs: 180 }}
          />
        </FilterRow>
        {canManage && selected.size > 0 && (
          <Group gap="sm" wrap="wrap" aria-label={t("bulk.toolbar")} role="toolbar">
            <Text size="sm" fw={500}>
              {t("bulk.selected", { count: selected.size })}
            </Text>
            <Button size="xs" variant="default" onClick={() => setBulk("due")}>
              {t("bulk.due")}
            </Button>
            <Button size="xs" variant="default" onClick={() => setBulk("complete")}>
              {t("bulk.complete")}
            </Button>
            <Button size="xs" variant="default" color="red.9" onClick={() => setBulk("drop")}>
              {t("bulk.drop")}
            </Button>
            <Button size="xs" variant="subtle" onClick={() => setSelected(new Map())}>
              {t("bulk.clear")}
            </Button>
          </Group>
        )}
        <AssignmentsTable
          orgId={orgId}
          filters={filters}
          onPage={(next) => setParam("page", String(next))}
          selection={canManage ? { selected, onChange: setSelected } : null}
          linkToPeople={may("members:read", OVER_PEOPLE)}
        />
      </Stack>
      {assigning && <AssignDialog orgId={orgId} onClose={() => setAssigning(false)} />}
      {bulk && (
        <BulkDialog
          orgId={orgId}
          action={bulk}
          items={[...selected.values()]}
          onClose={(changed) => {
            setBulk(null);
            if (changed) setSelected(new Map());
          }}
        />
      )}
    </Stack>
  );
}

/** How many are overdue and due soon; each count shows those rows. */
function DueCounts({ orgId, onShow }: { orgId: string; onShow: (due: DueFilter) => void }) {
  const { t } = useTranslation("assignments");
  const me = useSignedInMe();
  const overdue = useAssignmentCount(me.user.id, orgId, "overdue");
  const soon = useAssignmentCount(me.user.id, orgId, "due-soon");
  return (
    <Group gap="sm" wrap="wrap">
      <Button
        variant="outline"
        color={overdue.data ? "red.9" : "gray.8"}
        onClick={() => onShow("overdue")}
        loading={overdue.isPending}
      >
        {overdue.isError ? t("counts.unknown") : t("counts.overdue", { count: overdue.data ?? 0 })}
      </Button>
      <Button
        variant="outline"
        color="gray.8"
        onClick={() => onShow("due-soon")}
        loading={soon.isPending}
      >
        {soon.isError ? t("counts.unknown") : t("counts.dueSoon", { count: soon.data ?? 0 })}
      </Button>
    </Group>
  );
}
