import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { ApiError } from "../../api/errors";
import {
  type TriggerEvent,
  useTriggerEvents,
  useWorkflow,
  useWorkflowChange,
  useWorkflowVersions,
  type Workflow,
  type WorkflowExecution,
  type WorkflowInput,
} from "../../api/workflow-definitions";
import { useChosenOrganization } from "../../app/OrganizationChoice";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { PageState } from "../../ui/PageState";
import { PersonSelect } from "../../ui/PersonSelect";
import { usePageTitle } from "../../ui/usePageTitle";
import { type ScheduleDraft, ScheduleFields } from "./ScheduleFields";
import { StepsEditor } from "./StepsEditor";
import { fromStep, type StepDraft, stepOfError, toStep } from "./stepDrafts";
import { triggerWords } from "./words";

type TriggerType = WorkflowInput["trigger"]["type"];
type EventName = NonNullable<WorkflowInput["trigger"]["event"]>;

interface DefinitionForm extends ScheduleDraft {
  name: string;
  description: string;
  triggerType: TriggerType;
  event: string | null;
  enabled: boolean;
  steps: StepDraft[];
}

function formOf(workflow: Workflow | null): DefinitionForm {
  if (!workflow)
    return {
      name: "",
      description: "",
      triggerType: "event",
      event: null,
      scheduleKind: "hours",
      everyHours: "",
      cron: "",
      enabled: true,
      steps: [],
    };
  return {
    name: workflow.name,
    description: workflow.description ?? "",
    triggerType: workflow.trigger.type,
    event: workflow.trigger.event,
    scheduleKind: workflow.trigger.cron ? "cron" : "hours",
    everyHours: workflow.trigger.everyHours ?? "",
    cron: workflow.trigger.cron ?? "",
    enabled: workflow.enabled,
    steps: workflow.steps.map(fromStep),
  };
}

/** A schedule trigger from the form: every N hours or a cron expression, never both. */
function scheduleOf(form: DefinitionForm): WorkflowInput["trigger"] {
  if (form.scheduleKind === "cron") return { type: "schedule", cron: form.cron.trim() || null };
  return { type: "schedule", everyHours: form.everyHours === "" ? null : form.everyHours };
}

/** The API's body of a form (every field; an edit sends only those that changed). */
function inputOf(form: DefinitionForm): WorkflowInput {
  return {
    name: form.name.trim(),
    description: form.description.trim() || null,
    trigger:
      form.triggerType === "event"
        ? { type: "event", event: form.event as EventName | null }
        : form.triggerType === "schedule"
          ? scheduleOf(form)
          : { type: "manual" },
    steps: form.steps.map(toStep),
    enabled: form.enabled,
  };
}

/** What an edit changes: a change of name, trigger or steps makes a new version. */
function changesOf(before: Workflow, form: DefinitionForm): Partial<WorkflowInput> {
  const after = inputOf(form);
  const changes: Partial<WorkflowInput> = {};
  if (before.builtin) {
    if (JSON.stringify(after.steps) !== JSON.stringify(before.steps)) changes.steps = after.steps;
    if (after.enabled !== before.enabled) changes.enabled = after.enabled;
    return changes;
  }
  if (after.name !== before.name) changes.name = after.name;
  if ((after.description ?? null) !== before.description) changes.description = after.description;
  const trigger = inputOf(formOf(before)).trigger;
  if (JSON.stringify(after.trigger) !== JSON.stringify(trigger)) changes.trigger = after.trigger;
  if (JSON.stringify(after.steps) !== JSON.stringify(before.steps)) changes.steps = after.steps;
  if (after.enabled !== before.enabled) changes.enabled = after.enabled;
  return changes;
}

/**
 * A workflow's page (`/workflows/new?org=…`, `/workflows/:workflowId`): its name, trigger
 * and ordered steps in one form, saved as a new version; its versions; starting it by hand;
 * deleting it. A built-in approval offers only its approver, timeout and escalation.
 */
export function DefinitionPage() {
  const { workflowId } = useParams();
  return workflowId ? <ExistingDefinition id={workflowId} /> : <NewDefinition />;
}

function NewDefinition() {
  const { t } = useTranslation("workflows");
  usePageTitle(t("definition.newTitle"));
  const { chosen } = useChosenOrganization("workflows:manage");
  return (
    <Stack gap="md" maw={960}>
      <Title order={1}>{t("definition.newTitle")}</Title>
      {chosen ? (
        <DefinitionForm orgId={chosen.organization.id} workflow={null} />
      ) : (
        <Text>{t("noOrganization")}</Text>
      )}
    </Stack>
  );
}

function ExistingDefinition({ id }: { id: string }) {
  const { t } = useTranslation("workflows");
  const me = useSignedInMe();
  const workflow = useWorkflow(me.user.id, id);
  const location = useLocation();
  // Kept here: saving a new version remounts the form below (keyed by version).
  const [notice, setNotice] = useState<string | null>(
    (location.state as { saved?: string } | null)?.saved ?? null,
  );
  usePageTitle(workflow.data?.name ?? t("definition.title"));
  return (
    <Stack gap="md" maw={960}>
      <PageState
        query={workflow}
        pending={
          <>
            <Title order={1}>{t("definition.title")}</Title>
            <Skeleton height={320} radius="md" />
          </>
        }
      >
        {(w) => (
          <>
            <Group gap="sm" align="center" wrap="wrap">
              <Title order={1} style={{ overflowWrap: "anywhere" }}>
                {w.name}
              </Title>
              {w.builtin && (
                <Badge variant="outline" color="gray.8">
                  {t("list.builtin")}
                </Badge>
              )}
            </Group>
            <Text size="sm">{t("definition.version", { version: w.version })}</Text>
            <DefinitionForm
              key={`${w.id}-${w.version}`}
              orgId={w.organizationId}
              workflow={w}
              notice={notice}
              onNotice={setNotice}
            />
            {w.trigger.type === "manual" && !w.builtin && <StartNow workflow={w} />}
            <Versions workflow={w} />
            {!w.builtin && <DeleteWorkflow workflow={w} />}
          </>
        )}
      </PageState>
    </Stack>
  );
}

function DefinitionForm({
  orgId,
  workflow,
  notice = null,
  onNotice,
}: {
  orgId: string;
  workflow: Workflow | null;
  /** What the last save said, kept by the page across the form's remount. */
  notice?: string | null;
  onNotice?: (notice: string | null) => void;
}) {
  const { t } = useTranslation("workflows");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const events = useTriggerEvents(me.user.id);
  const change = useWorkflowChange(me.user.id);
  const [form, setForm] = useState<DefinitionForm>(() => formOf(workflow));
  const saved = notice;
  const setSaved = (message: string | null) => onNotice?.(message);
  const builtin = Boolean(workflow?.builtin);
  const set = (patch: Partial<DefinitionForm>) => {
    setSaved(null);
    setForm((f) => ({ ...f, ...patch }));
  };
  const error = change.error instanceof ApiError ? change.error : null;
  const field = error?.field ?? null;
  const failedStep = stepOfError(field);
  const stepErrors: Record<number, string> =
    failedStep !== null && error ? { [failedStep]: errorMessage(t, error) } : {};
  const fieldError = (name: string) =>
    error && (field === name || field?.startsWith(`${name}.`)) ? errorMessage(t, error) : undefined;
  const placed =
    failedStep !== null || fieldError("name") || fieldError("trigger") || fieldError("description");
  const event: TriggerEvent | undefined = events.data?.find((e) => e.type === form.event);

  const submit = () => {
    setSaved(null);
    if (!workflow) {
      change.mutate(
        { kind: "create", orgId, input: inputOf(form) },
        {
          onSuccess: ({ workflow: made }) =>
            made &&
            navigate(`/workflows/${made.id}?org=${orgId}`, {
              state: { saved: t("definition.created") },
            }),
        },
      );
      return;
    }
    const changes = changesOf(workflow, form);
    if (Object.keys(changes).length === 0) {
      setSaved(t("definition.unchanged"));
      return;
    }
    // The promise, not a mutate callback: the new version remounts this form first.
    change
      .mutateAsync({ kind: "update", id: workflow.id, input: changes })
      .then(({ workflow: after }) =>
        setSaved(
          after && after.version !== workflow.version
            ? t("definition.savedVersion", { version: after.version })
            : t("definition.saved"),
        ),
      )
      .catch(() => undefined);
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      noValidate
    >
      <Stack gap="md">
        <Anchor component={Link} to={`/workflows?org=${orgId}`} size="sm" w="fit-content">
          {t("definition.back")}
        </Anchor>
        {saved && (
          <Text role="status" fw={600}>
            {saved}
          </Text>
        )}
        {error && failedStep !== null && (
          <Alert color="red" variant="light" role="alert">
            {t("definition.stepFailed", { number: failedStep + 1 })}
          </Alert>
        )}
        {change.isError && !placed && <ApiErrorAlert error={change.error} />}
        {builtin && workflow ? (
          <Stack gap="xs">
            {workflow.description && <Text>{workflow.description}</Text>}
            <Text size="sm">
              {t("definition.builtinNote", {
                trigger: triggerWords(t, workflow.trigger, workflow.builtin),
              })}
            </Text>
          </Stack>
        ) : (
          <Stack gap="sm">
            <TextInput
              label={t("definition.name")}
              required
              maxLength={200}
              value={form.name}
              onChange={(e) => set({ name: e.currentTarget.value })}
              error={fieldError("name")}
              disabled={change.isPending}
            />
            <Textarea
              label={t("definition.description")}
              rows={3}
              maxLength={2000}
              value={form.description}
              onChange={(e) => set({ description: e.currentTarget.value })}
              error={fieldError("description")}
              disabled={change.isPending}
            />
            <Group gap="sm" align="flex-start" wrap="wrap">
              <Select
                label={t("definition.triggerType")}
                data={(["event", "schedule", "manual"] as const).map((v) => ({
                  value: v,
                  label: t(`triggerType.${v}`),
                }))}
                value={form.triggerType}
                allowDeselect={false}
                onChange={(v) => v && set({ triggerType: v as TriggerType })}
                disabled={change.isPending}
                w={{ base: "100%", sm: 260 }}
              />
              {form.triggerType === "event" && (
                <Select
                  label={t("definition.event")}
                  required
                  searchable
                  data={(events.data ?? []).map((e) => ({
                    value: e.type,
                    label: t(`event.${e.type}`, { defaultValue: e.description }),
                  }))}
                  value={form.event}
                  onChange={(v) => set({ event: v })}
                  error={fieldError("trigger")}
                  disabled={change.isPending}
                  w={{ base: "100%", sm: 380 }}
                />
              )}
              {form.triggerType === "schedule" && (
                <ScheduleFields
                  orgId={orgId}
                  value={form}
                  onChange={set}
                  error={fieldError("trigger")}
                  disabled={change.isPending}
                />
              )}
            </Group>
            {form.triggerType === "event" && event && (
              <Text size="sm" c="dimmed">
                {t("definition.eventFields", { fields: event.fields.join(", ") })}
              </Text>
            )}
          </Stack>
        )}
        <Switch
          label={t("definition.enabled")}
          checked={form.enabled}
          onChange={(e) => set({ enabled: e.currentTarget.checked })}
          disabled={change.isPending}
        />
        <StepsEditor
          orgId={orgId}
          steps={form.steps}
          onChange={(steps) => set({ steps })}
          errors={stepErrors}
          builtin={builtin}
          contextFields={event?.fields ?? []}
          disabled={change.isPending}
        />
        <Group>
          <Button type="submit" loading={change.isPending}>
            {workflow ? t("definition.save") : t("definition.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Every version of the workflow, newest first, with when it was saved and its trigger. */
function Versions({ workflow }: { workflow: Workflow }) {
  const { t } = useTranslation("workflows");
  const me = useSignedInMe();
  const format = useFormat();
  const versions = useWorkflowVersions(me.user.id, workflow.id);
  return (
    <Stack gap="sm" component="section" aria-labelledby="versions-heading">
      <Title order={2} id="versions-heading">
        {t("versions.heading")}
      </Title>
      <PageState query={versions} pending={<Skeleton height={80} radius="md" />}>
        {(rows) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("versions.version")}</Table.Th>
                  <Table.Th>{t("versions.saved")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("versions.name")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("versions.trigger")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("versions.steps")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((v) => (
                  <Table.Tr key={v.version}>
                    <Table.Td>{t("versions.number", { version: v.version })}</Table.Td>
                    <Table.Td>{format.dateTime(v.createdAt)}</Table.Td>
                    <Table.Td visibleFrom="sm" style={{ overflowWrap: "anywhere" }}>
                      {v.name}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {triggerWords(t, v.trigger, workflow.builtin)}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {v.steps.map((s) => t(`stepType.${s.type}`)).join(" → ")}
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

/** Starts a manual workflow now, about a person when one is chosen. */
function StartNow({ workflow }: { workflow: Workflow }) {
  const { t } = useTranslation("workflows");
  const me = useSignedInMe();
  const change = useWorkflowChange(me.user.id);
  const [subject, setSubject] = useState<string | null>(null);
  const [started, setStarted] = useState<WorkflowExecution | null>(null);
  return (
    <Stack gap="sm" component="section" aria-labelledby="start-heading">
      <Title order={2} id="start-heading">
        {t("start.heading")}
      </Title>
      {!workflow.enabled && <Text size="sm">{t("start.off")}</Text>}
      <Group gap="sm" align="flex-end" wrap="wrap">
        <div style={{ minWidth: 0, flex: "1 1 260px", maxWidth: 400 }}>
          <PersonSelect
            orgId={workflow.organizationId}
            label={t("start.subject")}
            description={t("start.subjectHelp")}
            value={subject}
            onChange={setSubject}
          />
        </div>
        <Button
          onClick={() => {
            setStarted(null);
            change.mutate(
              { kind: "start", id: workflow.id, subjectUserId: subject },
              { onSuccess: ({ execution }) => setStarted(execution ?? null) },
            );
          }}
          loading={change.isPending}
          disabled={!workflow.enabled}
        >
          {t("start.button")}
        </Button>
      </Group>
      {change.isError && <ApiErrorAlert error={change.error} />}
      {started && (
        <Text role="status">
          {t(`start.done`, { status: t(`status.${started.status}`) })}{" "}
          <Anchor component={Link} to={`/workflows/executions/${started.id}`}>
            {t("start.open")}
          </Anchor>
        </Text>
      )}
    </Stack>
  );
}

/** Deletes a workflow that never ran; the server refuses one with executions (shown). */
function DeleteWorkflow({ workflow }: { workflow: Workflow }) {
  const { t } = useTranslation("workflows");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const change = useWorkflowChange(me.user.id);
  const [asking, setAsking] = useState(false);
  return (
    <Stack gap="sm" component="section" aria-labelledby="delete-heading">
      <Title order={2} id="delete-heading">
        {t("delete.heading")}
      </Title>
      <Text size="sm">{t("delete.intro")}</Text>
      {change.isError && <ApiErrorAlert error={change.error} />}
      <Button
        color="red.9"
        variant="outline"
        w="fit-content"
        onClick={() => {
          change.reset();
          setAsking(true);
        }}
      >
        {t("delete.button")}
      </Button>
      {asking && (
        <ConfirmDialog
          title={t("delete.confirmTitle", { name: workflow.name })}
          text={t("delete.confirmText")}
          confirm={t("delete.button")}
          busy={change.isPending}
          onClose={() => setAsking(false)}
          onConfirm={() =>
            change.mutate(
              { kind: "delete", id: workflow.id },
              {
                onSuccess: () => navigate(`/workflows?org=${workflow.organizationId}`),
                onError: () => setAsking(false),
              },
            )
          }
        />
      )}
    </Stack>
  );
}
