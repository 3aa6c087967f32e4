import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  Modal,
  MultiSelect,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import type { EditorCourse } from "../../api/authoring";
import { useCourseCohorts } from "../../api/catalog";
import {
  type Announcement,
  type AnnouncementPatch,
  type NewAnnouncement,
  type useAnnouncementChange,
  useCourseLearners,
} from "../../api/community";
import { ApiError } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { usePersonPrivacy } from "../../ui/personPrivacy";
import { RichTextInput } from "../authoring/editor/RichTextInput";
import { instantFromZoned, isTimeZone, zonedInputValue } from "./zoned";

/** Limits of POST /courses/{id}/announcements. */
const TITLE_MAX = 255;
const CONTENT_MAX = 50_000;
const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
const AUDIENCES = ["all", "cohort", "users"] as const;

type Audience = (typeof AUDIENCES)[number];

interface Values {
  title: string;
  content: string;
  audience: Audience;
  cohortId: string | null;
  userIds: string[];
  priority: Announcement["priority"];
  isPublished: boolean;
  publishAt: string;
  expiresAt: string;
}

/** The zone the person's times are written in: their profile's, else the browser's. */
export function usePersonZone(): string {
  const me = useSignedInMe();
  const zone = me.user.timezone;
  return zone && isTimeZone(zone) ? zone : Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Writes an announcement or changes one: title, message (rich text, sanitized by the server),
 * who receives it (everyone enrolled, one cohort, chosen learners; fixed once written),
 * priority, whether it is published or kept as a draft, and optionally when it goes out and
 * when it is taken down, in the person's time zone. Learners are notified when it goes out.
 */
export function AnnouncementDialog({
  course,
  announcement,
  save,
  onClose,
  onSaved,
}: {
  course: EditorCourse["course"];
  announcement: Announcement | null;
  save: ReturnType<typeof useAnnouncementChange>["save"];
  onClose: () => void;
  onSaved: (announcement: Announcement) => void;
}) {
  const { t } = useTranslation("cohorts");
  const person = usePersonPrivacy();
  const me = useSignedInMe();
  const zone = usePersonZone();
  const cohortBased = course.delivery === "cohort-based";
  const cohorts = useCourseCohorts(me.user.id, course.id, cohortBased);
  const schema = useMemo(
    () =>
      z
        .object({
          title: z
            .string()
            .trim()
            .min(1, t("form.required"))
            .max(TITLE_MAX, t("form.tooLong", { max: TITLE_MAX })),
          content: z
            .string()
            .min(1, t("form.required"))
            .max(CONTENT_MAX, t("form.tooLong", { max: CONTENT_MAX })),
          audience: z.enum(AUDIENCES),
          cohortId: z.string().nullable(),
          userIds: z.array(z.string()),
          priority: z.enum(PRIORITIES),
          isPublished: z.boolean(),
          publishAt: z.string(),
          expiresAt: z.string(),
        })
        .superRefine((values, issues) => {
          const issue = (path: string, message: string) =>
            issues.addIssue({ code: "custom", path: [path], message });
          if (values.audience === "cohort" && !values.cohortId)
            issue("cohortId", t("announcements.cohortMissing"));
          if (values.audience === "users" && values.userIds.length === 0)
            issue("userIds", t("announcements.learnersMissing"));
          const publish = values.publishAt ? instantFromZoned(values.publishAt, zone) : null;
          const expires = values.expiresAt ? instantFromZoned(values.expiresAt, zone) : null;
          if (values.publishAt && !publish) issue("publishAt", t("form.timeInvalid"));
          if (values.expiresAt && !expires) issue("expiresAt", t("form.timeInvalid"));
          const start = publish ?? new Date().toISOString();
          if (expires && expires <= start) issue("expiresAt", t("announcements.expiresBefore"));
        }),
    [t, zone],
  );
  const form = useForm<Values>({
    initialValues: announcement
      ? {
          title: announcement.title,
          content: announcement.content,
          audience: announcement.audience,
          cohortId: announcement.cohortId,
          userIds: announcement.userIds ?? [],
          priority: announcement.priority,
          isPublished: announcement.isPublished,
          publishAt: zonedInputValue(announcement.publishAt, zone),
          expiresAt: announcement.expiresAt ? zonedInputValue(announcement.expiresAt, zone) : "",
        }
      : {
          title: "",
          content: "",
          audience: "all",
          cohortId: null,
          userIds: [],
          priority: "normal",
          isPublished: true,
          publishAt: "",
          expiresAt: "",
        },
    validate: schemaResolver(schema, { sync: true }),
  });
  const values = form.getValues();
  const learners = useCourseLearners(me.user.id, course.id, values.audience === "users");
  const cohortChoices = (cohorts.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  const learnerChoices = (learners.data?.items ?? []).map((e) => ({
    value: e.userId,
    label: e.restricted ? person.name(e.learner) : `${e.learner.name} (${e.learner.email})`,
  }));
  const failure = save.error instanceof ApiError ? save.error : null;
  const onField = !!failure?.field && failure.field in values;
  const close = () => !save.isPending && onClose();

  const submit = (v: Values) => {
    const publishAt = v.publishAt ? (instantFromZoned(v.publishAt, zone) as string) : null;
    const expiresAt = v.expiresAt ? (instantFromZoned(v.expiresAt, zone) as string) : null;
    const callbacks = {
      onSuccess: onSaved,
      onError: (error: Error) => {
        if (error instanceof ApiError && error.field && error.field in form.getValues())
          form.setFieldError(error.field, errorMessage(t, error));
      },
    };
    if (!announcement) {
      const body: NewAnnouncement = {
        title: v.title.trim(),
        content: v.content,
        priority: v.priority,
        isPublished: v.isPublished,
        ...(publishAt ? { publishAt } : {}),
        expiresAt,
        audience: v.audience,
        ...(v.audience === "cohort" && v.cohortId ? { cohortId: v.cohortId } : {}),
        ...(v.audience === "users" ? { userIds: v.userIds } : {}),
      };
      save.mutate({ announcementId: null, body }, callbacks);
      return;
    }
    const patch: AnnouncementPatch = {};
    if (v.title.trim() !== announcement.title) patch.title = v.title.trim();
    if (v.content !== announcement.content) patch.content = v.content;
    if (v.priority !== announcement.priority) patch.priority = v.priority;
    if (v.isPublished !== announcement.isPublished) patch.isPublished = v.isPublished;
    const now = new Date();
    if (publishAt && new Date(publishAt).getTime() !== new Date(announcement.publishAt).getTime())
      patch.publishAt = publishAt;
    // Emptied: it goes out now (unless it already has).
    if (!publishAt && new Date(announcement.publishAt) > now) patch.publishAt = now.toISOString();
    if (
      (expiresAt ? new Date(expiresAt).getTime() : null) !==
      (announcement.expiresAt ? new Date(announcement.expiresAt).getTime() : null)
    )
      patch.expiresAt = expiresAt;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    save.mutate({ announcementId: announcement.id, body: patch }, callbacks);
  };

  return (
    <Modal
      opened
      onClose={close}
      size="lg"
      title={
        announcement
          ? t("announcements.editTitle", { title: announcement.title })
          : t("announcements.newTitle")
      }
      closeOnClickOutside={!save.isPending}
      closeButtonProps={{ "aria-label": t("form.cancel") }}
    >
      <form noValidate onSubmit={form.onSubmit(submit)}>
        <Fieldset variant="unstyled" disabled={save.isPending}>
          <Stack gap="sm">
            <TextInput
              label={t("announcements.itemTitle")}
              required
              maxLength={TITLE_MAX}
              data-autofocus
              {...form.getInputProps("title")}
            />
            <RichTextInput
              label={t("announcements.content")}
              required
              value={values.content}
              onChange={(html) => form.setFieldValue("content", html)}
              error={typeof form.errors.content === "string" ? form.errors.content : undefined}
            />
            {announcement ? (
              <Text size="sm">
                {t("announcements.audienceFixed", {
                  audience: t(`announcements.audiences.${announcement.audience}`),
                })}
              </Text>
            ) : (
              <Radio.Group label={t("announcements.audience")} {...form.getInputProps("audience")}>
                <Stack gap="xs" mt={6}>
                  {AUDIENCES.filter((a) => a !== "cohort" || cohortBased).map((a) => (
                    <Radio key={a} value={a} label={t(`announcements.audiences.${a}`)} />
                  ))}
                </Stack>
              </Radio.Group>
            )}
            {!announcement && values.audience === "cohort" && (
              <Select
                label={t("announcements.cohort")}
                required
                data={cohortChoices}
                allowDeselect={false}
                nothingFoundMessage={t("announcements.noCohorts")}
                {...form.getInputProps("cohortId")}
              />
            )}
            {!announcement && values.audience === "users" && (
              <MultiSelect
                label={t("announcements.learners")}
                description={t("announcements.learnersHint")}
                required
                searchable
                data={learnerChoices}
                nothingFoundMessage={
                  learners.isPending
                    ? t("announcements.loadingLearners")
                    : t("announcements.noLearners")
                }
                {...form.getInputProps("userIds")}
              />
            )}
            <Select
              label={t("announcements.priority")}
              data={PRIORITIES.map((p) => ({
                value: p,
                label: t(`announcements.priorities.${p}`),
              }))}
              allowDeselect={false}
              maw={240}
              {...form.getInputProps("priority")}
            />
            <Checkbox
              label={t("announcements.publish")}
              description={t("announcements.publishHint")}
              {...form.getInputProps("isPublished", { type: "checkbox" })}
            />
            <Group grow wrap="wrap" gap="sm" align="flex-start">
              <TextInput
                type="datetime-local"
                label={t("announcements.publishAt")}
                description={t("announcements.publishAtHint", { zone })}
                miw={200}
                {...form.getInputProps("publishAt")}
              />
              <TextInput
                type="datetime-local"
                label={t("announcements.expiresAt")}
                description={t("announcements.expiresAtHint")}
                miw={200}
                {...form.getInputProps("expiresAt")}
              />
            </Group>
            {save.error && !onField && <ApiErrorAlert error={save.error} />}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                {t("form.cancel")}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {announcement
                  ? t("form.save")
                  : values.isPublished
                    ? values.publishAt
                      ? t("announcements.schedule")
                      : t("announcements.send")
                    : t("announcements.saveDraft")}
              </Button>
            </Group>
          </Stack>
        </Fieldset>
      </form>
    </Modal>
  );
}
