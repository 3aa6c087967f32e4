import { Group, List, NumberInput, Radio, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { useSchedulePreview } from "../../api/workflow-definitions";
import { useSignedInMe } from "../../app/RequireAuth";
import { errorMessage } from "../../ui/ApiErrorAlert";

/** How a schedule trigger repeats: every N hours, or a cron expression. */
export type ScheduleKind = "hours" | "cron";

export interface ScheduleDraft {
  scheduleKind: ScheduleKind;
  everyHours: number | "";
  cron: string;
}

/**
 * A schedule trigger's fields: every N hours, or a cron expression read in the organization's
 * time zone with its next starts previewed by the server (which also says what is wrong).
 */
export function ScheduleFields({
  orgId,
  value,
  onChange,
  error,
  disabled,
}: {
  orgId: string;
  value: ScheduleDraft;
  onChange: (patch: Partial<ScheduleDraft>) => void;
  /** The server's refusal of the trigger, placed under the input it is about. */
  error?: string;
  disabled: boolean;
}) {
  const { t } = useTranslation("workflows");
  return (
    <Stack gap="xs" w="100%">
      <Radio.Group
        label={t("schedule.kind")}
        value={value.scheduleKind}
        onChange={(v) => onChange({ scheduleKind: v as ScheduleKind })}
      >
        <Group gap="lg" mt={4}>
          <Radio value="hours" label={t("schedule.hours")} disabled={disabled} />
          <Radio value="cron" label={t("schedule.cron")} disabled={disabled} />
        </Group>
      </Radio.Group>
      {value.scheduleKind === "hours" ? (
        <NumberInput
          label={t("definition.everyHours")}
          required
          min={1}
          max={8760}
          allowDecimal={false}
          value={value.everyHours}
          onChange={(v) => onChange({ everyHours: typeof v === "number" ? v : "" })}
          error={error}
          disabled={disabled}
          w={{ base: "100%", sm: 200 }}
        />
      ) : (
        <>
          <TextInput
            label={t("schedule.expression")}
            description={t("schedule.help")}
            required
            maxLength={200}
            value={value.cron}
            onChange={(e) => onChange({ cron: e.currentTarget.value })}
            error={error}
            disabled={disabled}
            ff="monospace"
            w={{ base: "100%", sm: 360 }}
          />
          <CronPreview orgId={orgId} cron={value.cron.trim()} />
        </>
      )}
    </Stack>
  );
}

/** The next starts of the expression being typed, in the organization's time zone. */
function CronPreview({ orgId, cron }: { orgId: string; cron: string }) {
  const { t, i18n } = useTranslation("workflows");
  const me = useSignedInMe();
  const [debounced] = useDebouncedValue(cron, 400);
  const preview = useSchedulePreview(me.user.id, orgId, debounced);
  if (!debounced) return null;
  if (preview.isError)
    return (
      <Text size="sm" c="red.8" aria-live="polite">
        {errorMessage(t, preview.error)}
      </Text>
    );
  if (!preview.data)
    return (
      <Text size="sm" c="dimmed" aria-live="polite">
        {t("schedule.previewLoading")}
      </Text>
    );
  const { timezone, runs } = preview.data;
  const format = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: "full",
    timeStyle: "short",
    timeZone: timezone,
  });
  return (
    <Stack gap={4} aria-live="polite">
      <Text size="sm" fw={600}>
        {t("schedule.nextRuns", { timezone })}
      </Text>
      <List size="sm">
        {runs.map((run) => (
          <List.Item key={run}>{format.format(new Date(run))}</List.Item>
        ))}
      </List>
    </Stack>
  );
}
