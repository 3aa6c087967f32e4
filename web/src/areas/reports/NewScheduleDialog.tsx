import {
  Button,
  Group,
  List,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import {
  type ReportFormat,
  type ScheduleCalendar,
  useCreateSchedule,
  useReportTemplates,
  useSchedulePreview,
} from "../../api/reports";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";

type Frequency = ScheduleCalendar["frequency"];
const FREQUENCIES: readonly Frequency[] = [
  "daily",
  "weekly",
  "biweekly",
  "monthly",
  "quarterly",
  "yearly",
  "cron",
];
const FORMATS: readonly ReportFormat[] = ["excel", "pdf", "csv", "json"];
const TIME_ZONES: string[] =
  typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];
const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/**
 * Sets up a schedule: which template, how often (a frequency with its time, weekday, day and
 * month, or a cron expression) in which time zone, and the format. Its next five runs show
 * as the calendar changes, in the schedule's zone, from the server's own calendar rules; a
 * calendar the server refuses says why at once. Saving opens the schedule's page.
 */
export function NewScheduleDialog({
  orgId,
  templateId: chosenTemplate,
  onClose,
}: {
  orgId: string;
  /** The template to schedule, chosen already (from the report builder). */
  templateId?: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation("reports");
  const me = useSignedInMe();
  const format = useFormat();
  const navigate = useNavigate();
  const templates = useReportTemplates(me.user.id, orgId, "");
  const create = useCreateSchedule(me.user.id, orgId);
  const [templateId, setTemplateId] = useState<string | null>(chosenTemplate ?? null);
  const [name, setName] = useState("");
  const [frequency, setFrequency] = useState<Frequency>("weekly");
  const [time, setTime] = useState("08:00");
  const [dayOfWeek, setDayOfWeek] = useState("1");
  const [dayOfMonth, setDayOfMonth] = useState("1");
  const [monthOfYear, setMonthOfYear] = useState("1");
  const [cron, setCron] = useState("0 8 * * 1-5");
  const [timezone, setTimezone] = useState(BROWSER_ZONE);
  const [outputFormat, setOutputFormat] = useState<ReportFormat>("excel");
  const calendar: ScheduleCalendar = {
    frequency,
    timezone,
    ...(frequency === "cron" ? { cronExpression: cron.trim() } : { time }),
    ...(frequency === "weekly" || frequency === "biweekly" ? { dayOfWeek: Number(dayOfWeek) } : {}),
    ...(["monthly", "quarterly", "yearly"].includes(frequency)
      ? { dayOfMonth: Number(dayOfMonth) }
      : {}),
    ...(frequency === "yearly" || frequency === "quarterly"
      ? { monthOfYear: Number(monthOfYear) }
      : {}),
  };
  const [settled] = useDebouncedValue(calendar, 300);
  const preview = useSchedulePreview(/^\d\d:\d\d$/.test(time) ? settled : null);
  const template = (templates.data ?? []).find((x) => x.id === templateId);
  const inZone = (run: string, zone: string) =>
    new Intl.DateTimeFormat(i18n.language, {
      dateStyle: "full",
      timeStyle: "short",
      timeZone: zone,
    }).format(new Date(run));
  const weekdays = [1, 2, 3, 4, 5, 6, 0].map((d) => ({
    value: String(d),
    label: format.weekday(d),
  }));
  const busy = create.isPending;
  return (
    <Modal
      opened
      size="lg"
      onClose={() => !busy && onClose()}
      title={t("schedules.create")}
      closeOnClickOutside={!busy}
      closeButtonProps={{ "aria-label": t("templates.cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!templateId) return;
          create.mutate(
            {
              ...calendar,
              templateId,
              name: name.trim() || template?.name || t("schedules.untitled"),
              outputFormat,
            },
            { onSuccess: (schedule) => navigate(`/reports/schedules/${schedule.id}`) },
          );
        }}
      >
        <Stack gap="sm">
          <Select
            label={t("schedules.template")}
            required
            searchable
            data={(templates.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
            value={templateId}
            onChange={setTemplateId}
            data-autofocus
          />
          <TextInput
            label={t("schedules.name")}
            description={t("schedules.nameHint")}
            maxLength={200}
            value={name}
            placeholder={template?.name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <Select
              label={t("schedules.frequency")}
              data={FREQUENCIES.map((f) => ({ value: f, label: t(`schedules.frequencies.${f}`) }))}
              value={frequency}
              allowDeselect={false}
              onChange={(value) => value && setFrequency(value as Frequency)}
            />
            {frequency === "cron" ? (
              <TextInput
                label={t("schedules.cron")}
                description={t("schedules.cronHint")}
                value={cron}
                onChange={(event) => setCron(event.currentTarget.value)}
              />
            ) : (
              <TextInput
                type="time"
                label={t("schedules.time")}
                value={time}
                onChange={(event) => setTime(event.currentTarget.value)}
              />
            )}
            {(frequency === "weekly" || frequency === "biweekly") && (
              <Select
                label={t("schedules.weekday")}
                data={weekdays}
                value={dayOfWeek}
                allowDeselect={false}
                onChange={(value) => value && setDayOfWeek(value)}
              />
            )}
            {["monthly", "quarterly", "yearly"].includes(frequency) && (
              <Select
                label={t("schedules.day")}
                data={Array.from({ length: 31 }, (_, i) => String(i + 1))}
                value={dayOfMonth}
                allowDeselect={false}
                onChange={(value) => value && setDayOfMonth(value)}
              />
            )}
            {(frequency === "yearly" || frequency === "quarterly") && (
              <Select
                label={t(frequency === "yearly" ? "schedules.month" : "schedules.firstMonth")}
                data={Array.from({ length: 12 }, (_, i) => ({
                  value: String(i + 1),
                  label: format.monthName(i + 1),
                }))}
                value={monthOfYear}
                allowDeselect={false}
                onChange={(value) => value && setMonthOfYear(value)}
              />
            )}
            <Select
              label={t("schedule.zone")}
              data={TIME_ZONES.includes(timezone) ? TIME_ZONES : [timezone, ...TIME_ZONES]}
              value={timezone}
              searchable
              allowDeselect={false}
              onChange={(value) => value && setTimezone(value)}
            />
            <Select
              label={t("templates.format")}
              data={FORMATS.map((f) => ({ value: f, label: t(`templates.formats.${f}`) }))}
              value={outputFormat}
              allowDeselect={false}
              onChange={(value) => value && setOutputFormat(value as ReportFormat)}
            />
          </SimpleGrid>
          <Stack gap={4} component="section" aria-labelledby="next-runs-heading">
            <Title order={3} size="h5" id="next-runs-heading">
              {t("schedules.nextRuns", { zone: preview.data?.timezone ?? timezone })}
            </Title>
            <div aria-live="polite" style={{ opacity: preview.isPlaceholderData ? 0.6 : 1 }}>
              {preview.isError ? (
                <Text size="sm" c="red.9" role="alert">
                  {errorMessage(t, preview.error)}
                </Text>
              ) : preview.data ? (
                preview.data.runs.length ? (
                  <List size="sm" spacing={2}>
                    {preview.data.runs.map((run) => (
                      <List.Item key={run}>{inZone(run, preview.data.timezone)}</List.Item>
                    ))}
                  </List>
                ) : (
                  <Text size="sm">{t("schedules.noRuns")}</Text>
                )
              ) : (
                <Text size="sm">{t("schedules.working")}</Text>
              )}
            </div>
          </Stack>
          {create.error && <ApiErrorAlert error={create.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t("templates.cancel")}
            </Button>
            <Button type="submit" loading={busy} disabled={!templateId || preview.isError}>
              {t("schedules.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
