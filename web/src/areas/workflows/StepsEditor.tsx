import {
  ActionIcon,
  Alert,
  Autocomplete,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { CourseSelect } from "../../ui/CourseSelect";
import { PersonSelect } from "../../ui/PersonSelect";
import { RoleSelect } from "./pickers";
import {
  APPROVER_KINDS,
  type ApproverKind,
  CONDITION_OPS,
  type ConditionOp,
  emptyStep,
  moveStep,
  RECIPIENT_KINDS,
  type RecipientKind,
  removeStep,
  STEP_TYPES,
  type StepDraft,
  type StepType,
} from "./stepDrafts";

/**
 * The ordered steps of a workflow: each step its own box with the fields of its type, moved
 * up and down, removed, and new ones added at the end. `builtin` keeps the steps as they are
 * and offers only what a built-in approval may change: approver, timeout and escalation.
 * `errors` are the server's messages by step (counted from 0), shown on the step.
 */
export function StepsEditor({
  orgId,
  steps,
  onChange,
  errors = {},
  builtin = false,
  contextFields = [],
  disabled,
}: {
  orgId: string;
  steps: StepDraft[];
  onChange: (steps: StepDraft[]) => void;
  errors?: Record<number, string>;
  builtin?: boolean;
  /** The trigger event's fields, offered for conditions. */
  contextFields?: readonly string[];
  disabled?: boolean;
}) {
  const { t } = useTranslation("workflows");
  const replace = (index: number, draft: StepDraft) =>
    onChange(steps.map((s, i) => (i === index ? draft : s)));
  const move = (index: number, by: -1 | 1) => onChange(moveStep(steps, index, index + by));
  return (
    <Stack gap="sm" component="section" aria-labelledby="steps-heading">
      <Title order={2} id="steps-heading">
        {t("steps.heading")}
      </Title>
      {steps.length === 0 && <Alert variant="light">{t("steps.none")}</Alert>}
      <Stack gap="sm" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {steps.map((step, index) => {
          const number = index + 1;
          const title = t("steps.title", { number, type: t(`stepType.${step.type}`) });
          return (
            <Paper key={step.key} component="li" withBorder p="sm" radius="md" aria-label={title}>
              <Stack gap="xs">
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Title order={3} size="h4">
                    {title}
                  </Title>
                  {!builtin && (
                    <Group gap={4}>
                      <ActionIcon
                        variant="default"
                        aria-label={t("steps.moveUp", { number })}
                        disabled={disabled || index === 0}
                        onClick={() => move(index, -1)}
                      >
                        <span aria-hidden="true">↑</span>
                      </ActionIcon>
                      <ActionIcon
                        variant="default"
                        aria-label={t("steps.moveDown", { number })}
                        disabled={disabled || index === steps.length - 1}
                        onClick={() => move(index, 1)}
                      >
                        <span aria-hidden="true">↓</span>
                      </ActionIcon>
                      <ActionIcon
                        variant="default"
                        color="red"
                        aria-label={t("steps.remove", { number })}
                        disabled={disabled}
                        onClick={() => onChange(removeStep(steps, index))}
                      >
                        <span aria-hidden="true">✕</span>
                      </ActionIcon>
                    </Group>
                  )}
                </Group>
                {errors[index] && (
                  <Alert color="red" variant="light" role="alert">
                    {errors[index]}
                  </Alert>
                )}
                {!builtin && (
                  <Select
                    label={t("steps.type")}
                    data={STEP_TYPES.map((type) => ({ value: type, label: t(`stepType.${type}`) }))}
                    value={step.type}
                    allowDeselect={false}
                    onChange={(type) => type && replace(index, { ...step, type: type as StepType })}
                    disabled={disabled}
                    maw={320}
                  />
                )}
                <StepFields
                  orgId={orgId}
                  step={step}
                  index={index}
                  count={steps.length}
                  steps={steps}
                  contextFields={contextFields}
                  disabled={disabled}
                  onChange={(draft) => replace(index, draft)}
                />
              </Stack>
            </Paper>
          );
        })}
      </Stack>
      {!builtin && (
        <Group gap="xs" wrap="wrap">
          {STEP_TYPES.map((type) => (
            <Button
              key={type}
              variant="default"
              size="xs"
              disabled={disabled}
              onClick={() => onChange([...steps, emptyStep(type)])}
            >
              {t(`steps.add.${type}`)}
            </Button>
          ))}
        </Group>
      )}
    </Stack>
  );
}

function numberOrEmpty(value: string | number): number | "" {
  if (value === "" || value === null) return "";
  const n = typeof value === "number" ? value : Number(value);
  return Number.isNaN(n) ? "" : n;
}

function StepFields({
  orgId,
  step,
  index,
  steps,
  contextFields,
  disabled,
  onChange,
}: {
  orgId: string;
  step: StepDraft;
  index: number;
  count: number;
  steps: StepDraft[];
  contextFields: readonly string[];
  disabled?: boolean;
  onChange: (draft: StepDraft) => void;
}) {
  const { t } = useTranslation("workflows");
  const number = index + 1;
  const set = (patch: Partial<StepDraft>) => onChange({ ...step, ...patch });
  switch (step.type) {
    case "approval":
      return (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <PersonChoice
            orgId={orgId}
            kinds={APPROVER_KINDS}
            kindLabel={t("step.approver", { number })}
            roleLabel={t("step.approverRole", { number })}
            userLabel={t("step.approverUser", { number })}
            kind={step.approverKind}
            role={step.approverRole}
            userId={step.approverUserId}
            disabled={disabled}
            onChange={(kind, role, userId) =>
              set({
                approverKind: kind as ApproverKind,
                approverRole: role,
                approverUserId: userId,
              })
            }
          />
          <NumberInput
            label={t("step.timeoutHours", { number })}
            description={t("step.timeoutHelp")}
            min={1}
            max={8760}
            allowDecimal={false}
            value={step.timeoutHours}
            onChange={(v) => set({ timeoutHours: numberOrEmpty(v) })}
            disabled={disabled}
          />
          <PersonChoice
            orgId={orgId}
            kinds={["none", ...APPROVER_KINDS]}
            kindLabel={t("step.escalateTo", { number })}
            roleLabel={t("step.escalateRole", { number })}
            userLabel={t("step.escalateUser", { number })}
            kind={step.escalateKind}
            role={step.escalateRole}
            userId={step.escalateUserId}
            disabled={disabled}
            onChange={(kind, role, userId) =>
              set({
                escalateKind: kind as StepDraft["escalateKind"],
                escalateRole: role,
                escalateUserId: userId,
              })
            }
          />
          <Select
            label={t("step.onTimeout", { number })}
            data={(["default", "escalate", "reject"] as const).map((v) => ({
              value: v,
              label: t(`onTimeout.${v}`),
            }))}
            value={step.onTimeout}
            allowDeselect={false}
            onChange={(v) => v && set({ onTimeout: v as StepDraft["onTimeout"] })}
            disabled={disabled}
          />
        </SimpleGrid>
      );
    case "notification":
      return (
        <Stack gap="xs">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <PersonChoice
              orgId={orgId}
              kinds={RECIPIENT_KINDS}
              kindLabel={t("step.recipient", { number })}
              roleLabel={t("step.recipientRole", { number })}
              userLabel={t("step.recipientUser", { number })}
              kind={step.recipientKind}
              role={step.recipientRole}
              userId={step.recipientUserId}
              disabled={disabled}
              onChange={(kind, role, userId) =>
                set({
                  recipientKind: kind as RecipientKind,
                  recipientRole: role,
                  recipientUserId: userId,
                })
              }
            />
          </SimpleGrid>
          <Textarea
            label={t("step.message", { number })}
            required
            rows={3}
            maxLength={2000}
            value={step.message}
            onChange={(e) => set({ message: e.currentTarget.value })}
            disabled={disabled}
          />
        </Stack>
      );
    case "assignment":
      return (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <CourseSelect
            orgId={orgId}
            label={t("step.course", { number })}
            value={step.courseId}
            onChange={(courseId) => set({ courseId })}
            disabled={disabled}
          />
          <NumberInput
            label={t("step.dueDays", { number })}
            description={t("step.dueDaysHelp")}
            min={0}
            max={3650}
            allowDecimal={false}
            value={step.dueDays}
            onChange={(v) => set({ dueDays: numberOrEmpty(v) })}
            disabled={disabled}
          />
        </SimpleGrid>
      );
    case "wait":
      return (
        <NumberInput
          label={t("step.hours", { number })}
          required
          min={0.01}
          max={8760}
          value={step.hours}
          onChange={(v) => set({ hours: numberOrEmpty(v) })}
          disabled={disabled}
          maw={320}
        />
      );
    case "condition": {
      const targets = steps.map((s, i) => ({
        value: String(i),
        label: t("steps.target", { number: i + 1, type: t(`stepType.${s.type}`) }),
      }));
      const end = { value: String(steps.length), label: t("steps.end") };
      const valueless = step.op === "exists" || step.op === "missing";
      return (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Autocomplete
            label={t("step.field", { number })}
            description={t("step.fieldHelp")}
            required
            data={[...contextFields]}
            value={step.field}
            onChange={(field) => set({ field })}
            disabled={disabled}
          />
          <Select
            label={t("step.op", { number })}
            data={CONDITION_OPS.map((op) => ({ value: op, label: t(`op.${op}`) }))}
            value={step.op}
            allowDeselect={false}
            onChange={(op) => op && set({ op: op as ConditionOp })}
            disabled={disabled}
          />
          {!valueless && (
            <TextInput
              label={t("step.value", { number })}
              value={step.value}
              onChange={(e) => set({ value: e.currentTarget.value })}
              disabled={disabled}
            />
          )}
          <Select
            label={t("step.thenStep", { number })}
            required
            data={[...targets, end]}
            value={step.thenStep === null ? null : String(step.thenStep)}
            onChange={(v) => set({ thenStep: v === null ? null : Number(v) })}
            disabled={disabled}
          />
          <Select
            label={t("step.elseStep", { number })}
            data={[{ value: "next", label: t("steps.next") }, ...targets, end]}
            value={step.elseStep === null ? "next" : String(step.elseStep)}
            allowDeselect={false}
            onChange={(v) => set({ elseStep: v === null || v === "next" ? null : Number(v) })}
            disabled={disabled}
          />
        </SimpleGrid>
      );
    }
  }
}

/** Who: a kind (a role, the manager, a named person, …) and the role or person it needs. */
function PersonChoice({
  orgId,
  kinds,
  kindLabel,
  roleLabel,
  userLabel,
  kind,
  role,
  userId,
  disabled,
  onChange,
}: {
  orgId: string;
  kinds: readonly string[];
  kindLabel: string;
  roleLabel: string;
  userLabel: string;
  kind: string;
  role: string;
  userId: string | null;
  disabled?: boolean;
  onChange: (kind: string, role: string, userId: string | null) => void;
}) {
  const { t } = useTranslation("workflows");
  return (
    <>
      <Select
        label={kindLabel}
        data={kinds.map((k) => ({ value: k, label: t(`who.${k}`) }))}
        value={kind}
        allowDeselect={false}
        onChange={(k) => k && onChange(k, role, userId)}
        disabled={disabled}
      />
      {kind === "role" && (
        <RoleSelect
          orgId={orgId}
          label={roleLabel}
          value={role}
          onChange={(r) => onChange(kind, r, userId)}
          disabled={disabled}
        />
      )}
      {kind === "user" && (
        <PersonSelect
          orgId={orgId}
          label={userLabel}
          required
          value={userId}
          onChange={(id) => onChange(kind, role, id)}
        />
      )}
    </>
  );
}
