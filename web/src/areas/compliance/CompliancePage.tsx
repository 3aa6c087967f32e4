import {
  Anchor,
  Button,
  Group,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import {
  COMPLIANCE_STATUSES,
  type ComplianceStatus,
  type ComplianceSummary,
  useComplianceChange,
  useComplianceStatus,
  useComplianceSummary,
  useRequirements,
} from "../../api/compliance";
import { useDepartments } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { EmptyState } from "../../ui/EmptyState";
import { FilterRow } from "../../ui/FilterRow";
import { FilterSelect } from "../../ui/FilterSelect";
import { LabelledPagination } from "../../ui/LabelledPagination";
import { PageState } from "../../ui/PageState";
import { usePageParams } from "../../ui/usePageParams";
import { ComplianceFrame } from "./ComplianceFrame";
import { StatusBadge } from "./StatusBadge";

/** The counts a summary row shows, in this order. */
const COUNTED: ComplianceStatus[] = ["compliant", "due-soon", "overdue", "expired", "exempt"];

/**
 * Where the organization stands on its required training (`/compliance?org=…`): per
 * requirement or per department (score, counts, violations), then each person's status on
 * each requirement, filtered by requirement, department and status. Those who manage
 * compliance run the evaluation at once.
 */
export function CompliancePage() {
  const { t } = useTranslation("compliance");
  return (
    <ComplianceFrame title={t("dashboard.title")}>
      {(orgId, canManage) => <Dashboard orgId={orgId} canManage={canManage} />}
    </ComplianceFrame>
  );
}

function Dashboard({ orgId, canManage }: { orgId: string; canManage: boolean }) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const format = useFormat();
  const change = useComplianceChange(me.user.id);
  const [done, setDone] = useState("");
  return (
    <Stack gap="xl">
      {canManage && (
        <Stack gap="xs">
          <Group justify="space-between" wrap="wrap">
            <Text size="sm" c="dimmed" maw={640}>
              {t("dashboard.evaluateHelp")}
            </Text>
            <Button
              loading={change.isPending}
              onClick={() => {
                setDone("");
                change.mutate(
                  { kind: "evaluate", orgId },
                  {
                    onSuccess: ({ evaluation }) => {
                      if (!evaluation) return;
                      const r = evaluation.reminders;
                      setDone(
                        t("dashboard.evaluated", {
                          assigned: format.number(evaluation.assigned),
                          recertifications: format.number(evaluation.recertifications),
                          outOfScope: format.number(evaluation.outOfScope),
                          reminders: format.number(
                            r.dueSoon + r.overdue + r.escalatedToManager + r.escalatedToOfficer,
                          ),
                        }),
                      );
                    },
                  },
                );
              }}
            >
              {t("dashboard.evaluate")}
            </Button>
          </Group>
          {change.isError && <ApiErrorAlert error={change.error} />}
        </Stack>
      )}
      <Text size="sm" role="status" aria-live="polite">
        {done}
      </Text>
      <Summary orgId={orgId} />
      <StatusTable orgId={orgId} />
    </Stack>
  );
}

function Summary({ orgId }: { orgId: string }) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const format = useFormat();
  const [by, setBy] = useState<"requirement" | "department">("requirement");
  const summary = useComplianceSummary(me.user.id, orgId, by);
  const name = (row: ComplianceSummary) =>
    row.name ?? (by === "department" ? t("dashboard.noDepartment") : t("dashboard.unnamed"));
  return (
    <Stack gap="sm" component="section" aria-labelledby="summary-heading">
      <Group justify="space-between" wrap="wrap" align="flex-end">
        <Title order={2} id="summary-heading">
          {t("dashboard.summary")}
        </Title>
        <SegmentedControl
          aria-label={t("dashboard.by")}
          value={by}
          onChange={(v) => setBy(v as typeof by)}
          data={[
            { value: "requirement", label: t("dashboard.byRequirement") },
            { value: "department", label: t("dashboard.byDepartment") },
          ]}
        />
      </Group>
      <PageState
        query={summary}
        pending={<Skeleton height={120} radius="md" />}
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState
            headingLevel={3}
            title={t("dashboard.summaryEmptyTitle")}
            reason={t("dashboard.summaryEmptyReason")}
            action={
              <Anchor component={Link} to={`/compliance/requirements?org=${orgId}`}>
                {t("dashboard.toRequirements")}
              </Anchor>
            }
          />
        }
      >
        {(rows) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>
                    {by === "requirement" ? t("dashboard.requirement") : t("dashboard.department")}
                  </Table.Th>
                  <Table.Th>{t("dashboard.score")}</Table.Th>
                  {COUNTED.map((s) => (
                    <Table.Th key={s} visibleFrom="md">
                      {t(`status.${s}`)}
                    </Table.Th>
                  ))}
                  <Table.Th>{t("dashboard.violations")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.id ?? "none"}>
                    <Table.Td>
                      {by === "requirement" && row.id ? (
                        <Anchor
                          component={Link}
                          to={`/compliance/requirements/${row.id}?org=${orgId}`}
                          fw={500}
                        >
                          {name(row)}
                        </Anchor>
                      ) : (
                        <Text fw={500} size="sm">
                          {name(row)}
                        </Text>
                      )}
                      <Text size="xs" c="dimmed" hiddenFrom="md">
                        {COUNTED.map(
                          (s) => `${t(`status.${s}`)}: ${format.number(row.counts[s])}`,
                        ).join(" · ")}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {row.score === null ? t("dashboard.noScore") : format.percent(row.score)}
                    </Table.Td>
                    {COUNTED.map((s) => (
                      <Table.Td key={s} visibleFrom="md">
                        {format.number(row.counts[s])}
                      </Table.Td>
                    ))}
                    <Table.Td fw={row.violations > 0 ? 700 : undefined}>
                      {format.number(row.violations)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PageState>
    </Stack>
  );
}

function StatusTable({ orgId }: { orgId: string }) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const format = useFormat();
  const params = usePageParams();
  const status = params.get("status");
  const filters = {
    page: params.page,
    requirementId: params.get("requirement"),
    departmentId: params.get("department"),
    status: COMPLIANCE_STATUSES.includes(status as ComplianceStatus)
      ? (status as ComplianceStatus)
      : null,
  };
  const list = useComplianceStatus(me.user.id, orgId, filters);
  const requirements = useRequirements(me.user.id, orgId);
  const departments = useDepartments(me.user.id, orgId, true);
  const filtered = Boolean(filters.requirementId || filters.departmentId || filters.status);
  return (
    <Stack gap="sm" component="section" aria-labelledby="status-heading">
      <Title order={2} id="status-heading">
        {t("dashboard.people")}
      </Title>
      <FilterRow>
        <FilterSelect
          label={t("dashboard.requirement")}
          any={t("dashboard.anyRequirement")}
          options={(requirements.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
          value={filters.requirementId}
          onChange={(v) => params.set("requirement", v)}
          w={{ base: "100%", sm: 240 }}
        />
        <FilterSelect
          label={t("dashboard.department")}
          any={t("dashboard.anyDepartment")}
          options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
          value={filters.departmentId}
          onChange={(v) => params.set("department", v)}
          w={{ base: "100%", sm: 220 }}
        />
        <FilterSelect
          label={t("dashboard.status")}
          any={t("dashboard.anyStatus")}
          options={COMPLIANCE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          value={filters.status}
          onChange={(v) => params.set("status", v)}
          w={{ base: "100%", sm: 180 }}
        />
      </FilterRow>
      <PageState
        query={list}
        pending={<Skeleton height={200} radius="md" />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            headingLevel={3}
            title={filtered ? t("dashboard.noMatchTitle") : t("dashboard.noStatusTitle")}
            reason={filtered ? t("dashboard.noMatchReason") : t("dashboard.noStatusReason")}
          />
        }
      >
        {(data) => (
          <>
            <Text size="sm" c="dimmed">
              {t("dashboard.count", { count: data.meta?.pagination.total ?? data.items.length })}
            </Text>
            <Table.ScrollContainer minWidth={0}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("dashboard.person")}</Table.Th>
                    <Table.Th visibleFrom="sm">{t("dashboard.requirement")}</Table.Th>
                    <Table.Th>{t("dashboard.status")}</Table.Th>
                    <Table.Th visibleFrom="sm">{t("dashboard.due")}</Table.Th>
                    <Table.Th visibleFrom="md">{t("dashboard.completed")}</Table.Th>
                    <Table.Th visibleFrom="md">{t("dashboard.expires")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((row) => (
                    <Table.Tr key={`${row.requirementId}-${row.person.id}`}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        <Text size="sm" fw={500}>
                          {row.person.name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {row.person.email}
                          {row.department ? ` · ${row.department.name}` : ""}
                        </Text>
                        <Text size="xs" hiddenFrom="sm">
                          {row.requirementName}
                        </Text>
                      </Table.Td>
                      <Table.Td visibleFrom="sm">
                        <Anchor
                          component={Link}
                          to={`/compliance/requirements/${row.requirementId}?org=${orgId}`}
                          size="sm"
                        >
                          {row.requirementName}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={row.status} />
                        {row.exemption && (
                          <Text size="xs" c="dimmed" mt={4}>
                            {t("dashboard.exemptBecause", { reason: row.exemption.reason })}
                          </Text>
                        )}
                        {row.dueAt && (
                          <Text size="xs" hiddenFrom="sm" mt={4}>
                            {t("dashboard.dueOn", { date: format.date(row.dueAt) })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td visibleFrom="sm">
                        {row.dueAt ? format.date(row.dueAt) : "—"}
                      </Table.Td>
                      <Table.Td visibleFrom="md">
                        {row.completedAt ? format.date(row.completedAt) : "—"}
                      </Table.Td>
                      <Table.Td visibleFrom="md">
                        {row.expiresAt ? format.date(row.expiresAt) : "—"}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LabelledPagination
              total={data.meta?.pagination.totalPages ?? 1}
              value={filters.page}
              onChange={(page) => params.set("page", String(page))}
            />
          </>
        )}
      </PageState>
    </Stack>
  );
}
