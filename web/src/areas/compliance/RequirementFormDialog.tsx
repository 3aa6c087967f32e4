import {
  Button,
  Fieldset,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { CourseSelect } from "../../ui/CourseSelect";
import { PersonSelect } from "../../ui/PersonSelect";
import {
  AUDIT_FREQUENCIES,
  COMPLIANCE_TYPES,
  type FormErrors,
  type RequirementForm,
  requirementErrors,
} from "./forms";

type NumberField =
  | "retentionDays"
  | "dueDays"
  | "recurrenceMonths"
  | "recertificationWindowDays"
  | "overdueReminderDays"
  | "managerEscalationDays"
  | "officerEscalationDays";

/**
 * Every field of a requirement: what the regulation is (type, jurisdiction, texts, audit
 * frequency, retention), the course that meets it, and how it is enforced (due days,
 * recurrence, recertification window, reminders, escalations, compliance officer). Used to
 * create one and to change one; the form checks ranges first, the server has the last word.
 */
export function RequirementFormDialog({
  orgId,
  title,
  submit,
  initial,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  orgId: string;
  title: string;
  submit: string;
  initial: RequirementForm;
  busy: boolean;
  error: unknown;
  onSubmit: (form: RequirementForm) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("compliance");
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const set = <K extends keyof RequirementForm>(key: K, value: RequirementForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const serverField = error instanceof ApiError ? error.field : null;
  const errorOf = (key: keyof RequirementForm) =>
    errors[key] ? t(errors[key]) : serverField === key ? t("form.refused") : undefined;
  const number = (key: NumberField, help?: string, required = false) => (
    <TextInput
      label={t(`form.${key}`)}
      description={help}
      inputMode="numeric"
      required={required}
      value={form[key]}
      onChange={(e) => set(key, e.currentTarget.value)}
      error={errorOf(key)}
    />
  );
  return (
    <Modal
      opened
      size="xl"
      onClose={() => !busy && onClose()}
      title={title}
      closeOnClickOutside={!busy}
      closeButtonProps={{ "aria-label": t("form.cancel") }}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const found = requirementErrors(form);
          setErrors(found);
          if (Object.keys(found).length === 0) onSubmit(form);
        }}
      >
        <Stack gap="md">
          <Fieldset legend={t("form.what")} disabled={busy}>
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label={t("form.name")}
                  required
                  data-autofocus
                  value={form.name}
                  onChange={(e) => set("name", e.currentTarget.value)}
                  error={errorOf("name")}
                />
                <TextInput
                  label={t("form.code")}
                  value={form.code}
                  onChange={(e) => set("code", e.currentTarget.value)}
                  error={errorOf("code")}
                />
                <Select
                  label={t("form.complianceType")}
                  allowDeselect={false}
                  data={COMPLIANCE_TYPES.map((v) => ({ value: v, label: t(`type.${v}`) }))}
                  value={form.complianceType}
                  onChange={(v) =>
                    v && set("complianceType", v as RequirementForm["complianceType"])
                  }
                />
                <TextInput
                  label={t("form.jurisdiction")}
                  description={t("form.jurisdictionHelp")}
                  required
                  value={form.jurisdiction}
                  onChange={(e) => set("jurisdiction", e.currentTarget.value)}
                  error={errorOf("jurisdiction")}
                />
                <Select
                  label={t("form.auditFrequency")}
                  allowDeselect={false}
                  data={AUDIT_FREQUENCIES.map((v) => ({ value: v, label: t(`frequency.${v}`) }))}
                  value={form.auditFrequency}
                  onChange={(v) =>
                    v && set("auditFrequency", v as RequirementForm["auditFrequency"])
                  }
                />
                {number("retentionDays", t("form.retentionDaysHelp"))}
              </SimpleGrid>
              <Textarea
                label={t("form.description")}
                autosize
                minRows={2}
                value={form.description}
                onChange={(e) => set("description", e.currentTarget.value)}
              />
              <Textarea
                label={t("form.requirements")}
                description={t("form.requirementsHelp")}
                autosize
                minRows={2}
                value={form.requirements}
                onChange={(e) => set("requirements", e.currentTarget.value)}
              />
              <Textarea
                label={t("form.certificationRequirements")}
                autosize
                minRows={2}
                value={form.certificationRequirements}
                onChange={(e) => set("certificationRequirements", e.currentTarget.value)}
              />
            </Stack>
          </Fieldset>
          <Fieldset legend={t("form.how")} disabled={busy}>
            <Stack gap="sm">
              <CourseSelect
                orgId={orgId}
                label={t("form.course")}
                description={t("form.courseHelp")}
                value={form.courseId}
                onChange={(id) => set("courseId", id)}
                error={errorOf("courseId")}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                {number("dueDays", t("form.dueDaysHelp"), true)}
                {number("recurrenceMonths", t("form.recurrenceMonthsHelp"))}
                {number("recertificationWindowDays", t("form.recertificationWindowDaysHelp"), true)}
                <TextInput
                  label={t("form.reminderOffsetsDays")}
                  description={t("form.reminderOffsetsDaysHelp")}
                  value={form.reminderOffsetsDays}
                  onChange={(e) => set("reminderOffsetsDays", e.currentTarget.value)}
                  error={errorOf("reminderOffsetsDays")}
                />
                {number("overdueReminderDays", t("form.overdueReminderDaysHelp"), true)}
                {number("managerEscalationDays", t("form.escalationHelp"))}
                {number("officerEscalationDays", t("form.escalationHelp"))}
              </SimpleGrid>
              <PersonSelect
                orgId={orgId}
                label={t("form.complianceOfficer")}
                description={t("form.complianceOfficerHelp")}
                value={form.complianceOfficerUserId}
                onChange={(id) => set("complianceOfficerUserId", id)}
                error={errorOf("complianceOfficerUserId")}
              />
              <Switch
                label={t("form.isActive")}
                description={t("form.isActiveHelp")}
                checked={form.isActive}
                onChange={(e) => set("isActive", e.currentTarget.checked)}
              />
            </Stack>
          </Fieldset>
          {error ? <ApiErrorAlert error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t("form.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {submit}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
