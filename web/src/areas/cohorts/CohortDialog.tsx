import {
  Button,
  Fieldset,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  TextInput,
} from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { type Cohort, type CohortPatch, type NewCohort, useSaveCohort } from "../../api/cohorts";
import { ApiError } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { instantFromZoned, isTimeZone, timeZones, zonedInputValue } from "./zoned";

/** Limits of POST /courses/{id}/cohorts. */
const NAME_MAX = 200;
const CAPACITY_MAX = 100_000;
const URL_MAX = 2000;

interface Values {
  name: string;
  timezone: string;
  startsAt: string;
  endsAt: string;
  capacity: number | string;
  meetingUrl: string;
}

function initialValues(cohort: Cohort | null, zone: string): Values {
  if (!cohort)
    return { name: "", timezone: zone, startsAt: "", endsAt: "", capacity: 20, meetingUrl: "" };
  return {
    name: cohort.name,
    timezone: cohort.timezone,
    startsAt: zonedInputValue(cohort.startsAt, cohort.timezone),
    endsAt: zonedInputValue(cohort.endsAt, cohort.timezone),
    capacity: cohort.capacity,
    meetingUrl: cohort.meetingUrl ?? "",
  };
}

/** The request body from the form: everything for a new cohort, only what changed otherwise. */
function bodyOf(values: Values, cohort: Cohort | null): NewCohort | CohortPatch {
  const body: NewCohort = {
    name: values.name.trim(),
    timezone: values.timezone,
    startsAt: instantFromZoned(values.startsAt, values.timezone) as string,
    endsAt: instantFromZoned(values.endsAt, values.timezone) as string,
    capacity: Number(values.capacity),
    meetingUrl: values.meetingUrl.trim() || null,
  };
  if (!cohort) return body;
  const patch: CohortPatch = {};
  if (body.name !== cohort.name) patch.name = body.name;
  if (body.timezone !== cohort.timezone) patch.timezone = body.timezone;
  if (new Date(body.startsAt).getTime() !== new Date(cohort.startsAt).getTime())
    patch.startsAt = body.startsAt;
  if (new Date(body.endsAt).getTime() !== new Date(cohort.endsAt).getTime())
    patch.endsAt = body.endsAt;
  if (body.capacity !== cohort.capacity) patch.capacity = body.capacity;
  if ((body.meetingUrl ?? null) !== cohort.meetingUrl) patch.meetingUrl = body.meetingUrl ?? null;
  return patch;
}

/**
 * Schedules a cohort or changes one: its name, time zone, start and end (wall-clock times in
 * that zone, whatever the person's own), seats and meeting link. A new cohort starts
 * `scheduled`; changes send only the fields that changed. The server's refusals show at their
 * field (capacity below the people enrolled, an end before the start) or above the buttons.
 */
export function CohortDialog({
  courseId,
  cohort,
  onClose,
  onSaved,
}: {
  courseId: string;
  /** The cohort to change, or null to schedule a new one. */
  cohort: Cohort | null;
  onClose: () => void;
  onSaved: (cohort: Cohort) => void;
}) {
  const { t } = useTranslation("cohorts");
  const me = useSignedInMe();
  const save = useSaveCohort(me.user.id, courseId);
  const ownZone = me.user.timezone && isTimeZone(me.user.timezone) ? me.user.timezone : "UTC";
  const zones = useMemo(() => timeZones(cohort?.timezone ?? ownZone), [cohort, ownZone]);
  const schema = useMemo(
    () =>
      z
        .object({
          name: z
            .string()
            .trim()
            .min(1, t("form.required"))
            .max(NAME_MAX, t("form.tooLong", { max: NAME_MAX })),
          timezone: z.string().refine(isTimeZone, t("form.zoneInvalid")),
          startsAt: z.string().min(1, t("form.required")),
          endsAt: z.string().min(1, t("form.required")),
          capacity: z.union([z.number(), z.string()]).refine(
            (value) => {
              const n = Number(value);
              return value !== "" && Number.isInteger(n) && n >= 1 && n <= CAPACITY_MAX;
            },
            t("form.capacityInvalid", { max: CAPACITY_MAX }),
          ),
          meetingUrl: z
            .string()
            .trim()
            .max(URL_MAX)
            .refine(
              (value) => value === "" || z.url().safeParse(value).success,
              t("form.urlInvalid"),
            ),
        })
        .superRefine((values, issues) => {
          const starts = instantFromZoned(values.startsAt, values.timezone);
          const ends = instantFromZoned(values.endsAt, values.timezone);
          if (values.startsAt && !starts)
            issues.addIssue({ code: "custom", path: ["startsAt"], message: t("form.timeInvalid") });
          if (values.endsAt && !ends)
            issues.addIssue({ code: "custom", path: ["endsAt"], message: t("form.timeInvalid") });
          if (starts && ends && ends <= starts)
            issues.addIssue({
              code: "custom",
              path: ["endsAt"],
              message: t("form.endsBeforeStart"),
            });
        }),
    [t],
  );
  const form = useForm<Values>({
    initialValues: initialValues(cohort, ownZone),
    validate: schemaResolver(schema, { sync: true }),
  });
  const failure = save.error instanceof ApiError ? save.error : null;
  const onField = !!failure?.field && failure.field in form.getValues();
  const close = () => {
    if (save.isPending) return;
    save.reset();
    onClose();
  };
  return (
    <Modal
      opened
      onClose={close}
      title={cohort ? t("form.editTitle", { name: cohort.name }) : t("form.newTitle")}
      closeOnClickOutside={!save.isPending}
      closeButtonProps={{ "aria-label": t("form.cancel") }}
    >
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          const body = bodyOf(values, cohort);
          if (cohort && Object.keys(body).length === 0) {
            onClose();
            return;
          }
          save.mutate(
            cohort ? { cohortId: cohort.id, body } : { cohortId: null, body: body as NewCohort },
            {
              onSuccess: onSaved,
              onError: (error) => {
                if (error instanceof ApiError && error.field && error.field in form.getValues())
                  form.setFieldError(error.field, errorMessage(t, error));
              },
            },
          );
        })}
      >
        <Fieldset variant="unstyled" disabled={save.isPending}>
          <Stack gap="sm">
            <TextInput
              label={t("form.name")}
              required
              maxLength={NAME_MAX}
              data-autofocus
              {...form.getInputProps("name")}
            />
            <Select
              label={t("form.timezone")}
              description={t("form.timezoneHint")}
              required
              searchable
              data={zones}
              allowDeselect={false}
              nothingFoundMessage={t("form.noZone")}
              {...form.getInputProps("timezone")}
            />
            <Group grow wrap="wrap" gap="sm" align="flex-start">
              <TextInput
                type="datetime-local"
                label={t("form.startsAt")}
                required
                miw={200}
                {...form.getInputProps("startsAt")}
              />
              <TextInput
                type="datetime-local"
                label={t("form.endsAt")}
                required
                miw={200}
                {...form.getInputProps("endsAt")}
              />
            </Group>
            <NumberInput
              label={t("form.capacity")}
              description={
                cohort ? t("form.capacityHint", { count: cohort.enrolledCount }) : undefined
              }
              required
              min={1}
              max={CAPACITY_MAX}
              allowDecimal={false}
              allowNegative={false}
              maw={220}
              {...form.getInputProps("capacity")}
            />
            <TextInput
              type="url"
              label={t("form.meetingUrl")}
              description={t("form.meetingUrlHint")}
              maxLength={URL_MAX}
              {...form.getInputProps("meetingUrl")}
            />
            {save.error && !onField && <ApiErrorAlert error={save.error} />}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                {t("form.cancel")}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {cohort ? t("form.save") : t("form.create")}
              </Button>
            </Group>
          </Stack>
        </Fieldset>
      </form>
    </Modal>
  );
}
