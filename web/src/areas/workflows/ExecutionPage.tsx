import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError } from "../../api/errors";
import {
  type ExecutionStatus,
  type ExecutionView,
  useExecution,
  useExecutionAction,
} from "../../api/workflow-approvals";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { type Decision, DecisionDialog, DecisionError } from "./DecisionDialog";

/** The dot's colour: a second cue only; the badge says the status in words. */
const STATUS_COLOR: Record<ExecutionStatus, string> = {
  running: "blue",
  waiting: "gray",
  "awaiting-approval": "orange",
  completed: "teal",
  rejected: "red",
  cancelled: "gray",
  failed: "red",
};

/**
 * One workflow execution (`/workflows/executions/:executionId`, where decision notices and
 * notification steps link): its status, workflow and version, whom it is about, the current
 * step and escalation, and its full history. Its approvers decide here; its workflow's
 * managers cancel it while it is open.
 */
export function ExecutionPage() {
  const { t } = useTranslation("approvals");
  const { executionId = "" } = useParams();
  const me = useSignedInMe();
  const execution = useExecution(me.user.id, executionId);
  usePageTitle(execution.data?.summary ?? t("execution.title"));
  const notFound =
    execution.error instanceof ApiError &&
    (execution.error.status === 404 || execution.error.status === 400);
  if (notFound)
    return (
      <Stack gap="md" maw={560}>
        <Title order={1}>{t("execution.notFoundTitle")}</Title>
        <Text>{t("execution.notFoundBody")}</Text>
        <Anchor component={Link} to="/approvals">
          {t("execution.back")}
        </Anchor>
      </Stack>
    );
  return (
    <Stack gap="md" maw={960}>
      <PageState
        query={execution}
        pending={
          <>
            <Title order={1}>{t("execution.title")}</Title>
            <Skeleton height={140} radius="md" aria-hidden />
          </>
        }
      >
        {(data) => <Execution execution={data} />}
      </PageState>
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="sm" c="dimmed" component="dt">
        {label}
      </Text>
      <Text component="dd" m={0} style={{ overflowWrap: "anywhere" }}>
        {children}
      </Text>
    </div>
  );
}

function Execution({ execution }: { execution: ExecutionView }) {
  const { t } = useTranslation("approvals");
  const me = useSignedInMe();
  const format = useFormat();
  const action = useExecutionAction(me.user.id);
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<Decision | "cancel" | null>(null);
  const [done, setDone] = useState("");
  const open = (kind: Decision | "cancel") => {
    action.reset();
    setDone("");
    setDialog(kind);
  };
  const ended = execution.finishedAt !== null;
  const awaiting = execution.status === "awaiting-approval";
  const step = execution.currentStep;
  const currentType = execution.history.findLast((h) => h.step === step)?.stepType;
  return (
    <>
      <Anchor component={Link} to="/approvals" size="sm">
        {t("execution.back")}
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Title order={1} style={{ overflowWrap: "anywhere" }}>
          {execution.summary}
        </Title>
        <Badge
          color={STATUS_COLOR[execution.status]}
          variant="dot"
          size="lg"
          style={{ whiteSpace: "nowrap" }}
        >
          {t(`status.${execution.status}`)}
        </Badge>
      </Group>
      <Text role="status" aria-live="polite" fw={500}>
        {done}
      </Text>
      {!dialog && action.isError && <DecisionError error={action.error} />}
      <Paper withBorder p="md" radius="md">
        <SimpleGrid component="dl" cols={{ base: 1, sm: 2, md: 3 }} spacing="md" m={0}>
          <Fact label={t("execution.status")}>{t(`status.${execution.status}`)}</Fact>
          <Fact label={t("execution.workflow")}>
            {t("execution.versionOf", {
              name: execution.workflowName,
              version: execution.version,
            })}
          </Fact>
          <Fact label={t("execution.about")}>{execution.subjectName ?? t("execution.nobody")}</Fact>
          <Fact label={t("execution.currentStep")}>
            {ended
              ? t("execution.ended")
              : `${t("execution.stepNumber", { number: step + 1 })}${
                  currentType
                    ? ` (${t(`stepType.${currentType}`, { defaultValue: currentType })})`
                    : ""
                }`}
          </Fact>
          <Fact label={t("execution.escalation")}>
            {execution.escalationLevel > 0
              ? t("execution.escalationLevel", { level: execution.escalationLevel })
              : t("execution.escalationNone")}
          </Fact>
          <Fact label={t("execution.started")}>{format.dateTime(execution.startedAt)}</Fact>
          {execution.dueAt && (
            <Fact label={t("execution.due")}>{format.dateTime(execution.dueAt)}</Fact>
          )}
          {execution.finishedAt && (
            <Fact label={t("execution.finished")}>{format.dateTime(execution.finishedAt)}</Fact>
          )}
        </SimpleGrid>
      </Paper>
      {(execution.abilities.decide || execution.abilities.cancel) && (
        <Group gap="sm">
          {execution.abilities.decide && (
            <>
              <Button onClick={() => open("approve")}>{t("decision.approve")}</Button>
              <Button variant="default" c="red.9" onClick={() => open("reject")}>
                {t("decision.reject")}
              </Button>
            </>
          )}
          {execution.abilities.cancel && (
            <Button variant="default" c="red.9" onClick={() => open("cancel")}>
              {t("execution.cancel")}
            </Button>
          )}
        </Group>
      )}
      {awaiting && !execution.abilities.decide && (
        <Text size="sm" c="dimmed">
          {t("execution.decideHint")}
        </Text>
      )}
      <History execution={execution} />
      {(dialog === "approve" || dialog === "reject") && (
        <DecisionDialog
          decision={dialog}
          summary={execution.summary}
          busy={action.isPending}
          error={action.error}
          onClose={() => setDialog(null)}
          onSubmit={(note) =>
            action.mutate(
              { id: execution.id, action: dialog, note },
              {
                // back to the inbox, which says what was decided
                onSuccess: () =>
                  navigate("/approvals", {
                    state: {
                      done: t(dialog === "approve" ? "decision.approved" : "decision.rejected", {
                        summary: execution.summary,
                      }),
                    },
                  }),
              },
            )
          }
        />
      )}
      {dialog === "cancel" && (
        <ConfirmDialog
          title={t("execution.cancelTitle")}
          text={t("execution.cancelText", { summary: execution.summary })}
          confirm={t("execution.cancel")}
          busy={action.isPending}
          onClose={() => setDialog(null)}
          onConfirm={() =>
            action.mutate(
              { id: execution.id, action: "cancel", note: null },
              {
                onSuccess: () => {
                  setDone(t("execution.cancelled"));
                  setDialog(null);
                },
                onError: () => setDialog(null),
              },
            )
          }
        />
      )}
    </>
  );
}

function History({ execution }: { execution: ExecutionView }) {
  const { t } = useTranslation("approvals");
  const format = useFormat();
  return (
    <Stack gap="sm" component="section" aria-labelledby="history-heading">
      <Title order={2} id="history-heading">
        {t("execution.history")}
      </Title>
      <Stack component="ol" gap="xs" p={0} m={0} aria-label={t("execution.historyLabel")}>
        {execution.history.map((event, index) => (
          <Paper
            // the history only grows, oldest first
            // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id of their own
            key={index}
            component="li"
            withBorder
            p="sm"
            radius="md"
            style={{ listStyle: "none" }}
          >
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Text fw={600}>{t(`action.${event.action}`, { defaultValue: event.action })}</Text>
              <Text size="sm" c="dimmed">
                <time dateTime={event.at}>{format.dateTime(event.at)}</time>
              </Text>
            </Group>
            <Text size="sm">
              {event.step !== null &&
                `${t("execution.stepNumber", { number: event.step + 1 })}${
                  event.stepType
                    ? ` (${t(`stepType.${event.stepType}`, { defaultValue: event.stepType })})`
                    : ""
                } · `}
              {t("execution.who")}: {event.actorName ?? t("execution.system")}
            </Text>
            {event.note && (
              <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                {t("execution.noteColumn")}: {event.note}
              </Text>
            )}
          </Paper>
        ))}
      </Stack>
    </Stack>
  );
}
