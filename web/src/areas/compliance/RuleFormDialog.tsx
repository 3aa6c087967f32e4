import { Button, Group, Modal, Select, SimpleGrid, Stack, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { useDepartments, useRoles, useTeams } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { RULE_SCOPES, RULE_TRIGGERS, type RuleErrors, type RuleForm, ruleErrors } from "./forms";

/**
 * A rule's fields: who it reaches (everyone, a department, a team, a role's holders, a
 * location or a hire date range; only the scope's own field is asked) and what the due date
 * counts from (hire date, join date, or a fixed date, asked only then).
 */
export function RuleFormDialog({
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
  initial: RuleForm;
  busy: boolean;
  error: unknown;
  onSubmit: (form: RuleForm) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<RuleErrors>({});
  const departments = useDepartments(me.user.id, orgId, form.scope === "department");
  const teams = useTeams(me.user.id, orgId);
  const roles = useRoles(me.user.id, orgId, form.scope === "role");
  const set = <K extends keyof RuleForm>(key: K, value: RuleForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const serverField = error instanceof ApiError ? error.field : null;
  const errorOf = (key: keyof RuleForm) =>
    errors[key] ? t(errors[key]) : serverField === key ? t("form.refused") : undefined;
  return (
    <Modal
      opened
      size="lg"
      onClose={() => !busy && onClose()}
      title={title}
      closeOnClickOutside={!busy}
      closeButtonProps={{ "aria-label": t("form.cancel") }}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const found = ruleErrors(form);
          setErrors(found);
          if (Object.keys(found).length === 0) onSubmit(form);
        }}
      >
        <Stack gap="sm">
          <Select
            label={t("rules.scope")}
            allowDeselect={false}
            data-autofocus
            data={RULE_SCOPES.map((s) => ({ value: s, label: t(`scope.${s}`) }))}
            value={form.scope}
            onChange={(v) => v && set("scope", v as RuleForm["scope"])}
            disabled={busy}
          />
          {form.scope === "department" && (
            <Select
              label={t("rules.department")}
              required
              searchable
              data={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
              value={form.departmentId}
              onChange={(v) => set("departmentId", v)}
              error={errorOf("departmentId")}
              nothingFoundMessage={t("rules.noDepartments")}
              disabled={busy}
            />
          )}
          {form.scope === "team" && (
            <Select
              label={t("rules.team")}
              required
              searchable
              data={(teams.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
              value={form.teamId}
              onChange={(v) => set("teamId", v)}
              error={errorOf("teamId")}
              nothingFoundMessage={t("rules.noTeams")}
              disabled={busy}
            />
          )}
          {form.scope === "role" && (
            <Select
              label={t("rules.role")}
              required
              searchable
              data={(roles.data?.items ?? []).map((r) => ({ value: r.key, label: r.name }))}
              value={form.roleKey}
              onChange={(v) => set("roleKey", v)}
              error={errorOf("roleKey")}
              nothingFoundMessage={t("rules.noRoles")}
              disabled={busy}
            />
          )}
          {form.scope === "location" && (
            <TextInput
              label={t("rules.location")}
              description={t("rules.locationHelp")}
              required
              value={form.location}
              onChange={(e) => set("location", e.currentTarget.value)}
              error={errorOf("location")}
              disabled={busy}
            />
          )}
          {form.scope === "hire-date" && (
            <SimpleGrid cols={{ base: 1, xs: 2 }}>
              <TextInput
                type="date"
                label={t("rules.hiredFrom")}
                value={form.hiredFrom}
                onChange={(e) => set("hiredFrom", e.currentTarget.value)}
                error={errorOf("hiredFrom")}
                disabled={busy}
              />
              <TextInput
                type="date"
                label={t("rules.hiredTo")}
                value={form.hiredTo}
                onChange={(e) => set("hiredTo", e.currentTarget.value)}
                error={errorOf("hiredTo")}
                disabled={busy}
              />
            </SimpleGrid>
          )}
          <Select
            label={t("rules.trigger")}
            description={t("rules.triggerHelp")}
            allowDeselect={false}
            data={RULE_TRIGGERS.map((s) => ({ value: s, label: t(`trigger.${s}`) }))}
            value={form.trigger}
            onChange={(v) => v && set("trigger", v as RuleForm["trigger"])}
            disabled={busy}
          />
          {form.trigger === "fixed-date" && (
            <TextInput
              type="date"
              label={t("rules.fixedDate")}
              required
              value={form.fixedDate}
              onChange={(e) => set("fixedDate", e.currentTarget.value)}
              error={errorOf("fixedDate")}
              disabled={busy}
            />
          )}
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
