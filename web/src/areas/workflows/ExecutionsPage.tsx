import { Anchor, Badge, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import {
  EXECUTION_STATUSES,
  type ExecutionStatus,
  useWorkflowExecutions,
  useWorkflows,
  type WorkflowExecutionListItem,
} from "../../api/workflow-definitions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { FilterRow } from "../../ui/FilterRow";
import { FilterSelect } from "../../ui/FilterSelect";
import { PagedList } from "../../ui/PagedList";
import { PersonSelect } from "../../ui/PersonSelect";
import { usePageParams } from "../../ui/usePageParams";
import { WorkflowsFrame } from "./WorkflowsFrame";
import { STATUS_COLOR } from "./words";

/**
 * The organization's workflow executions (`/workflows/executions?org=…`), newest first, by
 * workflow, status and person (all in the URL); each opens its history.
 */
export function ExecutionsPage() {
  const { t } = useTranslation("workflows");
  return (
    <WorkflowsFrame title={t("executions.title")}>
      {(orgId) => <Executions orgId={orgId} />}
    </WorkflowsFrame>
  );
}

function Executions({ orgId }: { orgId: string }) {
  const { t } = useTranslation("workflows");
  const me = useSignedInMe();
  const format = useFormat();
  const params = usePageParams();
  const status = params.get("status");
  const filters = {
    page: params.page,
    definitionId: params.get("workflow"),
    status: EXECUTION_STATUSES.includes(status as ExecutionStatus)
      ? (status as ExecutionStatus)
      : null,
    subjectId: params.get("subject"),
  };
  const workflows = useWorkflows(me.user.id, orgId, 1, 100);
  const list = useWorkflowExecutions(me.user.id, orgId, filters);
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t("executions.intro")}
      </Text>
      <FilterRow>
        <FilterSelect
          label={t("executions.workflow")}
          any={t("executions.anyWorkflow")}
          options={(workflows.data?.items ?? []).map((w) => ({ value: w.id, label: w.name }))}
          value={filters.definitionId}
          onChange={(v) => params.set("workflow", v)}
          w={{ base: "100%", sm: 260 }}
        />
        <FilterSelect
          label={t("executions.status")}
          any={t("executions.anyStatus")}
          options={EXECUTION_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          value={filters.status}
          onChange={(v) => params.set("status", v)}
          w={{ base: "100%", sm: 220 }}
        />
        <div style={{ minWidth: 0, flex: "1 1 260px", maxWidth: 360 }}>
          <PersonSelect
            orgId={orgId}
            label={t("executions.subject")}
            value={filters.subjectId}
            onChange={(id) => params.set("subject", id)}
            chosenName={
              list.data?.items.find((e) => e.subjectUserId === filters.subjectId)?.subjectName
            }
            lookUp={false}
            anyStatus
          />
        </div>
      </FilterRow>
      <PagedList
        query={list}
        page={params.page}
        onPage={(page) => params.set("page", String(page))}
        empty={{ title: t("executions.emptyTitle"), reason: t("executions.emptyReason") }}
        count={(total) => t("executions.count", { count: total })}
      >
        {(rows: WorkflowExecutionListItem[]) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("executions.workflow")}</Table.Th>
                  <Table.Th>{t("executions.status")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("executions.subject")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("executions.started")}</Table.Th>
                  <Table.Th visibleFrom="md">{t("executions.step")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Anchor component={Link} to={`/workflows/executions/${e.id}`} fw={500}>
                        {e.workflowName}
                      </Anchor>
                      <Text size="xs" c="dimmed" hiddenFrom="sm">
                        {format.dateTime(e.startedAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="dot" color={STATUS_COLOR[e.status]}>
                        {t(`status.${e.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td visibleFrom="sm" style={{ overflowWrap: "anywhere" }}>
                      <Subject execution={e} />
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{format.dateTime(e.startedAt)}</Table.Td>
                    <Table.Td visibleFrom="md">
                      {e.finishedAt
                        ? t("executions.ended", { date: format.dateTime(e.finishedAt) })
                        : t("executions.atStep", { number: e.currentStep + 1 })}
                    </Table.Td>
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

/** Who or what an execution is about: the person's name, else the kind of thing, else no one. */
function Subject({ execution }: { execution: WorkflowExecutionListItem }) {
  const { t } = useTranslation("workflows");
  if (execution.subjectUserId) return <>{execution.subjectName ?? t("executions.aPerson")}</>;
  if (execution.subjectType)
    return (
      <>{t(`subjectType.${execution.subjectType}`, { defaultValue: execution.subjectType })}</>
    );
  return <>{t("executions.noOne")}</>;
}
