import {
  Autocomplete,
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Course, type CoursePatch, useChangeCourse } from "../../api/authoring";
import { CATALOG_LANGUAGES, useCategories, useCourses } from "../../api/catalog";
import { ApiError } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { minorDigits, toMajor } from "../../ui/money";

const LEVELS = ["beginner", "intermediate", "advanced", "all-levels"] as const;
const ENROLLMENT_TYPES = ["open", "approval", "invite", "paid"] as const;
const DELIVERIES = ["self-paced", "cohort-based"] as const;

/** The lines of a text box, trimmed, without empty ones. */
function lines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

export function valuesOf(course: Course) {
  return {
    title: course.title,
    subtitle: course.subtitle ?? "",
    description: course.description,
    category: course.category ?? "",
    level: course.level,
    language: course.language,
    price: toMajor(course.price.amount, course.price.currency) as number | string,
    currency: course.price.currency,
    enrollmentType: course.enrollmentType,
    capacity: (course.capacity ?? "") as number | string,
    delivery: course.delivery,
    prerequisiteCourseIds: course.prerequisiteCourseIds,
    tags: course.tags,
    learningOutcomes: course.learningOutcomes.join("\n"),
    requirements: course.requirements.join("\n"),
    targetAudience: course.targetAudience ?? "",
    completionCertificate: course.completionCertificate,
    allowDiscussion: course.allowDiscussion,
  };
}
type Values = ReturnType<typeof valuesOf>;

/** The API's field names where the form names them differently. */
const FORM_FIELD: Record<string, keyof Values> = { priceAmount: "price" };

/** The form's values as the API's fields. */
function bodyOf(values: Values): CoursePatch {
  const currency = values.currency.trim().toUpperCase();
  return {
    title: values.title.trim(),
    subtitle: values.subtitle.trim() || null,
    description: values.description.trim(),
    category: values.category.trim() || null,
    level: values.level,
    language: values.language,
    priceAmount: Math.round(Number(values.price || 0) * 10 ** minorDigits(currency)),
    currency,
    enrollmentType: values.enrollmentType,
    capacity: values.capacity === "" ? null : Number(values.capacity),
    delivery: values.delivery,
    prerequisiteCourseIds: values.prerequisiteCourseIds,
    tags: values.tags,
    learningOutcomes: lines(values.learningOutcomes),
    requirements: lines(values.requirements),
    targetAudience: values.targetAudience.trim() || null,
    completionCertificate: values.completionCertificate,
    allowDiscussion: values.allowDiscussion,
  };
}

/** Only the fields that changed, as a PATCH body. */
export function patchOf(before: Values, values: Values): CoursePatch {
  const was = bodyOf(before);
  return Object.fromEntries(
    Object.entries(bodyOf(values)).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(was[key as keyof CoursePatch]),
    ),
  ) as CoursePatch;
}

/**
 * A course's settings: what the catalog shows (title, subtitle, description, category, level,
 * language, tags, outcomes, requirements, audience), how people join (enrollment type, price,
 * capacity, prerequisites) and how it runs (delivery, certificate, discussion). Only changed
 * fields are sent; the code, currency and delivery are locked while the course is published.
 * Each field has the id `field-<name>`, so the publication checklist can lead to it.
 */
export function CourseSettingsForm({
  course,
  focusField,
}: {
  course: Course;
  focusField: string | null;
}) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const change = useChangeCourse(me.user.id, course.id);
  const categories = useCategories(me.user.id);
  const others = useCourses(me.user.id, { limit: 100, sort: "title" });
  const [saved, setSaved] = useState(false);
  // The form's initial values are the course as last saved: what a save compares against.
  const form = useForm<Values>({ initialValues: valuesOf(course) });
  const published = course.status === "published";
  const failure = change.error instanceof ApiError ? change.error : null;
  const failedField = failure?.field ? (FORM_FIELD[failure.field] ?? failure.field) : null;
  const shownAtField = !!failedField && failedField in form.values;

  useEffect(() => {
    if (!focusField) return;
    const input = document.getElementById(`field-${focusField}`);
    input?.scrollIntoView({ block: "center" });
    input?.focus();
  }, [focusField]);

  const field = (name: keyof Values) => ({
    id: `field-${name}`,
    ...form.getInputProps(name),
    error: failedField === name && failure ? errorMessage(t, failure) : undefined,
  });
  const courseOptions = (others.data?.items ?? [])
    .filter((c) => c.id !== course.id)
    .map((c) => ({ value: c.id, label: `${c.title} (${c.code})` }));
  // Prerequisites the list does not show (beyond its first page) keep their ids as labels.
  for (const id of form.values.prerequisiteCourseIds)
    if (!courseOptions.some((o) => o.value === id)) courseOptions.push({ value: id, label: id });

  return (
    <form
      aria-labelledby="settings-heading"
      onSubmit={form.onSubmit((values) => {
        setSaved(false);
        const patch = patchOf(form.getInitialValues(), values);
        if (Object.keys(patch).length === 0) {
          setSaved(true);
          return;
        }
        change.mutate(patch, {
          onSuccess: (updated) => {
            const next = valuesOf(updated);
            form.setInitialValues(next);
            form.setValues(next);
            setSaved(true);
          },
        });
      })}
    >
      <Stack gap="lg">
        <Title order={2} id="settings-heading">
          {t("settings.heading")}
        </Title>
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t("settings.catalogSection")}
          </Title>
          <TextInput label={t("settings.title")} required maxLength={255} {...field("title")} />
          <TextInput label={t("settings.subtitle")} maxLength={255} {...field("subtitle")} />
          <Textarea
            label={t("settings.description")}
            description={t("settings.descriptionHint")}
            autosize
            minRows={4}
            maxLength={20_000}
            {...field("description")}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Autocomplete
              label={t("settings.category")}
              data={(categories.data ?? []).map((c) => c.category)}
              maxLength={100}
              {...field("category")}
            />
            <Select
              label={t("settings.level")}
              data={LEVELS.map((l) => ({ value: l, label: t(`levels.${l}`) }))}
              allowDeselect={false}
              {...field("level")}
            />
            <Select
              label={t("settings.language")}
              data={CATALOG_LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }))}
              allowDeselect={false}
              {...field("language")}
            />
          </SimpleGrid>
          <TagsInput
            label={t("settings.tags")}
            description={t("settings.tagsHint")}
            maxTags={30}
            {...field("tags")}
          />
          <Textarea
            label={t("settings.outcomes")}
            description={t("settings.onePerLine")}
            autosize
            minRows={3}
            {...field("learningOutcomes")}
          />
          <Textarea
            label={t("settings.requirements")}
            description={t("settings.onePerLine")}
            autosize
            minRows={2}
            {...field("requirements")}
          />
          <Textarea
            label={t("settings.audience")}
            autosize
            minRows={2}
            maxLength={2000}
            {...field("targetAudience")}
          />
        </Stack>
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t("settings.joiningSection")}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t("settings.enrollmentType")}
              data={ENROLLMENT_TYPES.map((e) => ({ value: e, label: t(`enrollmentTypes.${e}`) }))}
              allowDeselect={false}
              {...field("enrollmentType")}
            />
            <NumberInput
              label={t("settings.price")}
              description={t("settings.priceHint")}
              min={0}
              decimalScale={minorDigits(form.values.currency || "EUR")}
              {...field("price")}
            />
            <TextInput
              label={t("settings.currency")}
              description={published ? t("settings.lockedWhilePublished") : undefined}
              maxLength={3}
              disabled={published}
              {...field("currency")}
            />
            <NumberInput
              label={t("settings.capacity")}
              description={t("settings.capacityHint")}
              min={1}
              allowDecimal={false}
              {...field("capacity")}
            />
            <Select
              label={t("settings.delivery")}
              description={published ? t("settings.lockedWhilePublished") : undefined}
              data={DELIVERIES.map((d) => ({ value: d, label: t(`deliveries.${d}`) }))}
              allowDeselect={false}
              disabled={published}
              {...field("delivery")}
            />
          </SimpleGrid>
          <MultiSelect
            label={t("settings.prerequisites")}
            description={t("settings.prerequisitesHint")}
            data={courseOptions}
            searchable
            maxValues={20}
            {...field("prerequisiteCourseIds")}
          />
          <Switch
            label={t("settings.certificate")}
            {...form.getInputProps("completionCertificate", { type: "checkbox" })}
            id="field-completionCertificate"
          />
          <Switch
            label={t("settings.discussion")}
            {...form.getInputProps("allowDiscussion", { type: "checkbox" })}
            id="field-allowDiscussion"
          />
        </Stack>
        {change.error && !shownAtField && <ApiErrorAlert error={change.error} />}
        <Group gap="sm" pos="sticky" bottom={0} py="sm" bg="var(--mantine-color-body)">
          <Button type="submit" loading={change.isPending}>
            {t("settings.save")}
          </Button>
          {saved && !change.isPending && (
            <Text size="sm" role="status">
              {t("settings.saved")}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
