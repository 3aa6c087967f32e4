import {
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  TextInput,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useDepartments } from "../../api/people";
import {
  type ReportFormat,
  type ReportTemplate,
  type TemplateRun,
  useRunTemplate,
} from "../../api/reports";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { dayOf, endOfDay, startOfDay } from "../../ui/days";

const FORMATS: readonly ReportFormat[] = ["excel", "pdf", "csv", "json"];
const DATE_FIELDS = ["enrolledAt", "completedAt", "eventDate"] as const;

/**
 * Runs a template as a report job: a name, a format, and optionally a date range (on the
 * chosen date) and departments that replace the template's own filters. The job's page
 * follows it to its download.
 */
export function RunTemplateDialog({
  orgId,
  template,
  onClose,
}: {
  orgId: string;
  template: ReportTemplate;
  onClose: () => void;
}) {
  const { t } = useTranslation("reports");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const may = useOrgPermission(orgId);
  const run = useRunTemplate(me.user.id, orgId);
  const departments = useDepartments(me.user.id, orgId, may("departments:read"));
  const [name, setName] = useState(template.name);
  const [format, setFormat] = useState<ReportFormat>(template.defaultOutputFormat);
  const [withDates, setWithDates] = useState(false);
  const [field, setField] = useState<(typeof DATE_FIELDS)[number]>("enrolledAt");
  const [from, setFrom] = useState(dayOf(null, -30));
  const [to, setTo] = useState(dayOf(null));
  const [departmentIds, setDepartmentIds] = useState<string[]>([]);
  const start = startOfDay(from);
  const toEnd = endOfDay(to);
  const datesInvalid = withDates && (!start || !toEnd || start > toEnd);
  const busy = run.isPending;
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={t("templates.runTitle", { name: template.name })}
      closeOnClickOutside={!busy}
      closeButtonProps={{ "aria-label": t("templates.cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (datesInvalid) return;
          const input: TemplateRun = {
            name: name.trim() || null,
            outputFormat: format,
            dateRange: withDates && start && toEnd ? { field, start, end: toEnd } : null,
            departmentIds,
          };
          run.mutate(
            { templateId: template.id, run: input },
            { onSuccess: (job) => navigate(`/reports/jobs/${job.id}`) },
          );
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t("templates.name")}
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
          />
          <Select
            label={t("templates.format")}
            data={FORMATS.map((f) => ({ value: f, label: t(`templates.formats.${f}`) }))}
            value={format}
            allowDeselect={false}
            onChange={(value) => value && setFormat(value as ReportFormat)}
          />
          <Checkbox
            label={t("templates.withDates")}
            checked={withDates}
            onChange={(event) => setWithDates(event.currentTarget.checked)}
          />
          {withDates && (
            <>
              <Select
                label={t("templates.dateField")}
                data={DATE_FIELDS.map((f) => ({ value: f, label: t(`templates.dateFields.${f}`) }))}
                value={field}
                allowDeselect={false}
                onChange={(value) => value && setField(value as (typeof DATE_FIELDS)[number])}
              />
              <Group grow gap="sm">
                <TextInput
                  type="date"
                  label={t("templates.from")}
                  value={from}
                  onChange={(event) => setFrom(event.currentTarget.value)}
                />
                <TextInput
                  type="date"
                  label={t("templates.to")}
                  value={to}
                  onChange={(event) => setTo(event.currentTarget.value)}
                  error={datesInvalid ? t("templates.datesInvalid") : undefined}
                />
              </Group>
            </>
          )}
          {may("departments:read") && (departments.data?.items.length ?? 0) > 0 && (
            <MultiSelect
              label={t("templates.departments")}
              description={t("templates.departmentsHint")}
              data={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
              value={departmentIds}
              onChange={setDepartmentIds}
              searchable
            />
          )}
          {run.error && <ApiErrorAlert error={run.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t("templates.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("templates.start")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
