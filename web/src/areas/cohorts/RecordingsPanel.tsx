import {
  Anchor,
  Button,
  Fieldset,
  Group,
  NumberInput,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import type { EditorCourse } from "../../api/authoring";
import { type Cohort, type Recording, useRecordingChange, useRecordings } from "../../api/cohorts";
import { ApiError } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { useFocusKeeper } from "../../ui/useFocusKeeper";
import { useZonedDateTime } from "./cohortText";
import { instantFromZoned } from "./zoned";

/** Limits of POST /cohorts/{id}/recordings. */
const TITLE_MAX = 255;
const URL_MAX = 2000;
const MINUTES_MAX = 24 * 60;
const NO_SESSION = "";

/**
 * A cohort's session recordings, oldest first as the server lists them: each with its link
 * (opened in a new tab), the session (module) it records, its length and when it was
 * recorded (in the cohort's zone); deleted after a confirmation. A form below adds one.
 */
export function RecordingsPanel({
  cohort,
  modules,
}: {
  cohort: Cohort;
  modules: EditorCourse["modules"];
}) {
  const { t } = useTranslation("cohorts");
  const format = useFormat();
  const zoned = useZonedDateTime();
  const me = useSignedInMe();
  const recordings = useRecordings(me.user.id, cohort.id);
  const { add, remove } = useRecordingChange(me.user.id, cohort.id);
  const [done, setDone] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Recording | null>(null);
  const details = (recording: Recording) => {
    const session = modules.find((m) => m.id === recording.moduleId)?.title;
    return [
      session && t("recordings.session", { title: session }),
      recording.durationSeconds > 0 && format.duration(Math.round(recording.durationSeconds / 60)),
      recording.recordedAt &&
        t("recordings.recordedAt", { date: zoned(recording.recordedAt, cohort.timezone) }),
    ]
      .filter(Boolean)
      .join(" · ");
  };
  return (
    <Stack gap="sm" component="section" aria-labelledby="recordings-heading">
      <Title order={2} id="recordings-heading">
        {t("recordings.title")}
      </Title>
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      {remove.error && !deleting && <ApiErrorAlert error={remove.error} />}
      <PageState
        query={recordings}
        pending={<Skeleton height={120} radius="md" />}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState
            headingLevel={3}
            title={t("recordings.emptyTitle")}
            reason={t("recordings.emptyReason")}
          />
        }
      >
        {(list) => (
          <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
            {list.map((recording) => (
              <Paper component="li" key={recording.id} withBorder p="sm" radius="md">
                <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
                  <Stack gap={2} style={{ minWidth: 0 }}>
                    <Anchor
                      href={recording.videoUrl}
                      target="_blank"
                      rel="noreferrer"
                      fw={600}
                      style={{ overflowWrap: "anywhere" }}
                    >
                      {recording.title}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {details(recording)}
                    </Text>
                  </Stack>
                  <Button
                    size="xs"
                    variant="outline"
                    color="red.9"
                    aria-label={t("recordings.deleteNamed", { title: recording.title })}
                    onClick={() => {
                      remove.reset();
                      setDeleting(recording);
                    }}
                  >
                    {t("recordings.delete")}
                  </Button>
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
      </PageState>
      <AddRecording
        cohort={cohort}
        modules={modules}
        add={add}
        onAdded={(recording) => setDone(t("recordings.added", { title: recording.title }))}
      />
      {deleting && (
        <ConfirmDialog
          title={t("recordings.deleteTitle", { title: deleting.title })}
          text={t("recordings.deleteText")}
          confirm={t("recordings.delete")}
          busy={remove.isPending}
          onClose={() => setDeleting(null)}
          onConfirm={() =>
            remove.mutate(deleting.id, {
              onSuccess: () => setDone(t("recordings.deleted", { title: deleting.title })),
              onSettled: () => setDeleting(null),
            })
          }
        />
      )}
    </Stack>
  );
}

interface RecordingValues {
  title: string;
  videoUrl: string;
  minutes: number | string;
  moduleId: string;
  recordedAt: string;
}

const EMPTY: RecordingValues = {
  title: "",
  videoUrl: "",
  minutes: "",
  moduleId: NO_SESSION,
  recordedAt: "",
};

/** The form adding a recording: title and address, optionally its session, length and time. */
function AddRecording({
  cohort,
  modules,
  add,
  onAdded,
}: {
  cohort: Cohort;
  modules: EditorCourse["modules"];
  add: ReturnType<typeof useRecordingChange>["add"];
  onAdded: (recording: Recording) => void;
}) {
  const { t } = useTranslation("cohorts");
  const title = useRef<HTMLInputElement>(null);
  const schema = useMemo(
    () =>
      z.object({
        title: z
          .string()
          .trim()
          .min(1, t("form.required"))
          .max(TITLE_MAX, t("form.tooLong", { max: TITLE_MAX })),
        videoUrl: z
          .string()
          .trim()
          .min(1, t("form.required"))
          .max(URL_MAX)
          .refine((value) => z.url().safeParse(value).success, t("form.urlInvalid")),
        minutes: z.union([z.number(), z.string()]),
        moduleId: z.string(),
        recordedAt: z
          .string()
          .refine(
            (value) => value === "" || instantFromZoned(value, cohort.timezone) !== null,
            t("form.timeInvalid"),
          ),
      }),
    [t, cohort.timezone],
  );
  const form = useForm<RecordingValues>({
    initialValues: EMPTY,
    validate: schemaResolver(schema, { sync: true }),
  });
  const busy = add.isPending;
  const hold = useFocusKeeper(busy, title);
  const failure = add.error instanceof ApiError ? add.error : null;
  const onField = !!failure?.field && failure.field in form.getValues();
  return (
    <form
      noValidate
      aria-labelledby="new-recording-heading"
      onSubmit={form.onSubmit((values) => {
        hold();
        add.mutate(
          {
            title: values.title.trim(),
            videoUrl: values.videoUrl.trim(),
            ...(values.minutes !== "" ? { durationSeconds: Number(values.minutes) * 60 } : {}),
            moduleId: values.moduleId || null,
            recordedAt: values.recordedAt
              ? instantFromZoned(values.recordedAt, cohort.timezone)
              : null,
          },
          {
            onSuccess: (recording) => {
              form.setValues(EMPTY);
              onAdded(recording);
            },
            onError: (e) => {
              if (e instanceof ApiError && e.field && e.field in form.getValues())
                form.setFieldError(e.field, errorMessage(t, e));
            },
          },
        );
      })}
    >
      <Fieldset variant="unstyled" disabled={busy}>
        <Stack gap="xs">
          <Title order={3} size="h5" id="new-recording-heading">
            {t("recordings.new")}
          </Title>
          <Group align="flex-start" wrap="wrap" gap="sm">
            <TextInput
              ref={title}
              label={t("recordings.recordingTitle")}
              required
              maxLength={TITLE_MAX}
              w={{ base: "100%", xs: 260 }}
              {...form.getInputProps("title")}
            />
            <TextInput
              type="url"
              label={t("recordings.videoUrl")}
              required
              maxLength={URL_MAX}
              w={{ base: "100%", xs: 320 }}
              {...form.getInputProps("videoUrl")}
            />
          </Group>
          <Group align="flex-start" wrap="wrap" gap="sm">
            <Select
              label={t("recordings.module")}
              data={[
                { value: NO_SESSION, label: t("recordings.noModule") },
                ...modules.map((m) => ({ value: m.id, label: m.title })),
              ]}
              allowDeselect={false}
              w={{ base: "100%", xs: 260 }}
              {...form.getInputProps("moduleId")}
            />
            <NumberInput
              label={t("recordings.minutes")}
              min={0}
              max={MINUTES_MAX}
              allowDecimal={false}
              allowNegative={false}
              w={{ base: "100%", xs: 160 }}
              {...form.getInputProps("minutes")}
            />
            <TextInput
              type="datetime-local"
              label={t("recordings.recordedAtLabel")}
              description={t("recordings.zoneHint", { zone: cohort.timezone })}
              w={{ base: "100%", xs: 240 }}
              {...form.getInputProps("recordedAt")}
            />
          </Group>
          {add.error && !onField && <ApiErrorAlert error={add.error} />}
          <Button type="submit" loading={busy} w="fit-content">
            {t("recordings.add")}
          </Button>
        </Stack>
      </Fieldset>
    </form>
  );
}
