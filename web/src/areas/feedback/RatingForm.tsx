import { Button, Fieldset, Group, Input, Rating, Stack, Textarea, TextInput } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ApiError } from "../../api/errors";
import { type CourseRating, useRateCourse } from "../../api/feedback";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";

/** Limits of PUT /courses/{id}/ratings/mine. */
const TITLE_MAX = 255;
const CONTENT_MAX = 10_000;

/**
 * The person's rating of a course: 1–5 stars (radio buttons, so arrows and space choose) and
 * an optional review; saving again changes it, and it can be withdrawn.
 */
export function RatingForm({ courseId, mine }: { courseId: string; mine: CourseRating | null }) {
  const { t } = useTranslation("feedback");
  const me = useSignedInMe();
  const { save, remove } = useRateCourse(me.user.id, courseId);
  const labelId = useId();
  const schema = useMemo(
    () =>
      z.object({
        rating: z.number().int().min(1, t("rate.ratingRequired")).max(5),
        title: z
          .string()
          .trim()
          .max(TITLE_MAX, t("rate.tooLong", { max: TITLE_MAX })),
        content: z
          .string()
          .trim()
          .max(CONTENT_MAX, t("rate.tooLong", { max: CONTENT_MAX })),
      }),
    [t],
  );
  const form = useForm({
    initialValues: {
      rating: mine?.rating ?? 0,
      title: mine?.title ?? "",
      content: mine?.content ?? "",
    },
    validate: schemaResolver(schema, { sync: true }),
  });
  const busy = save.isPending || remove.isPending;
  const error = save.error ?? remove.error;
  const fieldError = error instanceof ApiError && error.field && error.field in form.getValues();
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        save.mutate(
          {
            rating: values.rating,
            title: values.title.trim() || null,
            content: values.content.trim() || null,
          },
          {
            onError: (e) => {
              if (e instanceof ApiError && e.field && e.field in form.getValues())
                form.setFieldError(e.field, errorMessage(t, e));
            },
          },
        ),
      )}
    >
      <Fieldset variant="unstyled" disabled={busy}>
        <Stack gap="sm">
          {error && !fieldError && <ApiErrorAlert error={error} />}
          <Input.Wrapper
            id={labelId}
            label={t("rate.stars")}
            required
            error={form.errors.rating}
            labelElement="div"
            labelProps={{ id: `${labelId}-label` }}
          >
            <Rating
              role="radiogroup"
              aria-labelledby={`${labelId}-label`}
              size="lg"
              value={form.getValues().rating}
              onChange={(value) => form.setFieldValue("rating", value)}
              getSymbolLabel={(value) => t("rate.starLabel", { count: value })}
              readOnly={busy}
            />
          </Input.Wrapper>
          <TextInput
            label={t("rate.title")}
            maxLength={TITLE_MAX}
            {...form.getInputProps("title")}
          />
          <Textarea
            label={t("rate.content")}
            autosize
            minRows={3}
            maxLength={CONTENT_MAX}
            {...form.getInputProps("content")}
          />
          <Group gap="sm">
            <Button type="submit" loading={save.isPending}>
              {mine ? t("rate.update") : t("rate.submit")}
            </Button>
            {mine && (
              <Button
                variant="outline"
                color="red.9"
                loading={remove.isPending}
                onClick={() =>
                  remove.mutate(undefined, {
                    onSuccess: () => {
                      save.reset();
                      form.setValues({ rating: 0, title: "", content: "" });
                    },
                  })
                }
              >
                {t("rate.delete")}
              </Button>
            )}
          </Group>
          {save.isSuccess && !busy && (
            <Stack role="status" gap={0}>
              {t("rate.saved")}
            </Stack>
          )}
        </Stack>
      </Fieldset>
    </form>
  );
}
