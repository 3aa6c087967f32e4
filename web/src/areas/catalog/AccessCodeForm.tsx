import { Button, Fieldset, Stack, TextInput } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { z } from "zod";
import type { Course } from "../../api/catalog";
import { useRedeemCode } from "../../api/enrollment";
import { ApiError } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";

/** Whether an API error belongs on the code input (else it shows above the button). */
function onCodeField(error: unknown): error is ApiError {
  return error instanceof ApiError && error.field === "code";
}

/**
 * Joining with an access code (POST /enrollments/redeem). The code names its course: when it
 * belongs to another one, the person is taken to that course's page.
 */
export function AccessCodeForm({ course, cohortId }: { course: Course; cohortId?: string }) {
  const { t } = useTranslation("enrollment");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const redeem = useRedeemCode(me.user.id);
  // The server's limits (POST /enrollments/redeem: 4 to 60 characters).
  const schema = useMemo(
    () =>
      z.object({ code: z.string().trim().min(4, t("code.tooShort")).max(60, t("code.tooLong")) }),
    [t],
  );
  const form = useForm({
    initialValues: { code: "" },
    validate: schemaResolver(schema, { sync: true }),
  });

  const submit = form.onSubmit(({ code }) =>
    redeem.mutate(
      { code: code.trim(), cohortId },
      {
        onSuccess: (result) => {
          const joined = result.enrollment?.courseId;
          if (joined && joined !== course.id) void navigate(`/courses/${joined}`);
        },
        onError: (error) => {
          if (onCodeField(error)) form.setFieldError("code", errorMessage(t, error));
        },
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Fieldset variant="unstyled" disabled={redeem.isPending}>
        <Stack gap="sm">
          <TextInput
            label={t("code.label")}
            description={t("code.description")}
            autoComplete="off"
            required
            {...form.getInputProps("code")}
          />
          {redeem.isError && !onCodeField(redeem.error) && <ApiErrorAlert error={redeem.error} />}
          <Button type="submit" variant="outline" loading={redeem.isPending}>
            {t("code.submit")}
          </Button>
        </Stack>
      </Fieldset>
    </form>
  );
}
