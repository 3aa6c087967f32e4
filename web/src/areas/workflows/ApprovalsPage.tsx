import { Anchor, Badge, Button, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router";
import { type Approval, useExecutionAction, useMyApprovals } from "../../api/workflow-approvals";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { type Decision, DecisionDialog, DecisionError } from "./DecisionDialog";

/**
 * What waits for the signed-in person's decision (`/approvals`, where approval requests are
 * mailed to): each request with its workflow, whom it is about, since when, whether it was
 * escalated and by when to decide; approved or rejected (with a note) in place, or opened on
 * its execution's page.
 */
export function ApprovalsPage() {
  const { t } = useTranslation("approvals");
  const me = useSignedInMe();
  const approvals = useMyApprovals(me.user.id);
  const action = useExecutionAction(me.user.id);
  const [deciding, setDeciding] = useState<{ row: Approval; decision: Decision } | null>(null);
  // a decision taken on an execution's page comes back here with what was decided
  const location = useLocation();
  const navigate = useNavigate();
  const arrived = (location.state as { done?: string } | null)?.done;
  const [done, setDone] = useState(arrived ?? "");
  // said once: a reload does not repeat it
  useEffect(() => {
    if (arrived) navigate(location.pathname, { replace: true, state: null });
  }, [arrived, location.pathname, navigate]);
  usePageTitle(t("inbox.title"));
  return (
    <Stack gap="md" maw={960}>
      <Title order={1}>{t("inbox.title")}</Title>
      <Text c="dimmed">{t("inbox.intro")}</Text>
      <Text role="status" aria-live="polite" fw={500}>
        {done}
      </Text>
      {!deciding && action.isError && <DecisionError error={action.error} />}
      <PageState
        query={approvals}
        pending={
          <Stack gap="sm" aria-hidden>
            <Skeleton height={96} radius="md" />
            <Skeleton height={96} radius="md" />
          </Stack>
        }
        isEmpty={(rows) => rows.length === 0}
        empty={<EmptyState title={t("inbox.emptyTitle")} reason={t("inbox.emptyReason")} />}
      >
        {(rows) => (
          <Stack component="ul" gap="sm" p={0} m={0} aria-label={t("inbox.listLabel")}>
            {rows.map((row) => (
              <ApprovalRow
                key={row.id}
                row={row}
                onDecide={(decision) => {
                  action.reset();
                  setDone("");
                  setDeciding({ row, decision });
                }}
              />
            ))}
          </Stack>
        )}
      </PageState>
      {deciding && (
        <DecisionDialog
          decision={deciding.decision}
          summary={deciding.row.summary}
          busy={action.isPending}
          error={action.error}
          onClose={() => setDeciding(null)}
          onSubmit={(note) =>
            action.mutate(
              { id: deciding.row.id, action: deciding.decision, note },
              {
                onSuccess: () => {
                  setDone(
                    t(deciding.decision === "approve" ? "decision.approved" : "decision.rejected", {
                      summary: deciding.row.summary,
                    }),
                  );
                  setDeciding(null);
                },
              },
            )
          }
        />
      )}
    </Stack>
  );
}

function ApprovalRow({ row, onDecide }: { row: Approval; onDecide: (decision: Decision) => void }) {
  const { t } = useTranslation("approvals");
  const format = useFormat();
  const headingId = `approval-${row.id}`;
  return (
    <Paper component="li" withBorder p="md" radius="md" style={{ listStyle: "none" }}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <Anchor
            component={Link}
            to={`/workflows/executions/${row.id}`}
            fw={600}
            id={headingId}
            style={{ overflowWrap: "anywhere" }}
          >
            {row.summary}
          </Anchor>
          {row.escalationLevel > 0 && (
            <Badge color="orange" variant="dot" title={t("inbox.escalatedHelp")}>
              {t("inbox.escalated")}
            </Badge>
          )}
        </Group>
        <Text size="sm">
          {row.workflowName}
          {row.subjectName ? ` · ${t("inbox.about")}: ${row.subjectName}` : ""}
        </Text>
        <Text size="sm" c="dimmed">
          {t("inbox.since")}: {format.dateTime(row.startedAt)}
          {row.dueAt ? ` · ${t("inbox.due")}: ${format.dateTime(row.dueAt)}` : ""}
        </Text>
        <Group gap="sm" mt={4}>
          <Button
            size="compact-sm"
            onClick={() => onDecide("approve")}
            aria-label={t("inbox.approveNamed", { summary: row.summary })}
          >
            {t("decision.approve")}
          </Button>
          <Button
            size="compact-sm"
            variant="default"
            c="red.9"
            onClick={() => onDecide("reject")}
            aria-label={t("inbox.rejectNamed", { summary: row.summary })}
          >
            {t("decision.reject")}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
