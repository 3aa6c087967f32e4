import { Anchor, Badge, Button, Group, Stack, Switch, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import {
  useWorkflowChange,
  useWorkflows,
  type Workflow,
  type WorkflowListItem,
} from "../../api/workflow-definitions";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PagedList } from "../../ui/PagedList";
import { usePageParams } from "../../ui/usePageParams";
import { WorkflowsFrame } from "./WorkflowsFrame";
import { triggerWords } from "./words";

/**
 * The organization's workflows (`/workflows?org=…`), the built-in approvals among them:
 * each with its trigger in words, version and whether it is on, turned on and off here.
 */
export function WorkflowsPage() {
  const { t } = useTranslation("workflows");
  return (
    <WorkflowsFrame title={t("list.title")}>
      {(orgId) => <Workflows orgId={orgId} />}
    </WorkflowsFrame>
  );
}

function Workflows({ orgId }: { orgId: string }) {
  const { t } = useTranslation("workflows");
  const me = useSignedInMe();
  const params = usePageParams();
  const list = useWorkflows(me.user.id, orgId, params.page);
  const change = useWorkflowChange(me.user.id);
  const toggle = (workflow: Workflow, enabled: boolean) =>
    change.mutate({ kind: "update", id: workflow.id, input: { enabled } });
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Text size="sm" c="dimmed" maw={640}>
          {t("list.intro")}
        </Text>
        <Button component={Link} to={`/workflows/new?org=${orgId}`}>
          {t("list.create")}
        </Button>
      </Group>
      {change.isError && <ApiErrorAlert error={change.error} />}
      <PagedList
        query={list}
        page={params.page}
        onPage={(page) => params.set("page", String(page))}
        empty={{ title: t("list.emptyTitle"), reason: t("list.emptyReason") }}
      >
        {(rows: WorkflowListItem[]) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("list.name")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("list.trigger")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("list.version")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("list.open")}</Table.Th>
                  <Table.Th>{t("list.enabled")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((w) => (
                  <Table.Tr key={w.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Group gap="xs" wrap="wrap">
                        <Anchor component={Link} to={`/workflows/${w.id}?org=${orgId}`} fw={500}>
                          {w.name}
                        </Anchor>
                        {w.builtin && (
                          <Badge variant="outline" color="gray.8" size="sm">
                            {t("list.builtin")}
                          </Badge>
                        )}
                      </Group>
                      <Text size="xs" c="dimmed" hiddenFrom="sm">
                        {triggerWords(t, w.trigger, w.builtin)}
                      </Text>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{triggerWords(t, w.trigger, w.builtin)}</Table.Td>
                    <Table.Td visibleFrom="sm">{w.version}</Table.Td>
                    <Table.Td visibleFrom="sm">
                      {w.openExecutions ? (
                        <Anchor
                          component={Link}
                          to={`/workflows/executions?org=${orgId}&workflow=${w.id}`}
                          aria-label={t("list.openLink", { count: w.openExecutions, name: w.name })}
                        >
                          {w.openExecutions}
                        </Anchor>
                      ) : (
                        0
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Switch
                        checked={w.enabled}
                        aria-label={t("list.toggle", { name: w.name })}
                        label={w.enabled ? t("list.on") : t("list.off")}
                        disabled={change.isPending}
                        onChange={(e) => toggle(w, e.currentTarget.checked)}
                      />
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
