import { Alert, Anchor, Button, Fieldset, Stack, Text, Title } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { z } from "zod";
import { ApiError } from "../../api/errors";
import { useResetPassword } from "../../api/session";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { usePageTitle } from "../../ui/usePageTitle";
import { NewPasswordFields } from "./AccountFields";
import { markField, namesInput } from "./forms";
import { passwordAcceptable } from "./PasswordRules";

/** The link mailed by "forgot password" (`/reset-password?token=…`): sets a new password. */
export function ResetPasswordPage() {
  const { t } = useTranslation("auth");
  usePageTitle(t("reset.title"));
  const [params] = useSearchParams();
  const token = params.get("token");
  const reset = useResetPassword();
  const schema = useMemo(
    () =>
      z
        .object({ password: z.string(), confirm: z.string() })
        .refine((v) => passwordAcceptable(v.password), {
          path: ["password"],
          message: t("password.rulesTitle"),
        })
        .refine((v) => v.password === v.confirm, {
          path: ["confirm"],
          message: t("reset.mismatch"),
        }),
    [t],
  );
  const form = useForm({
    mode: "controlled",
    initialValues: { password: "", confirm: "" },
    validate: schemaResolver(schema, { sync: true }),
  });
  const tokenRefused = reset.error instanceof ApiError && reset.error.code === "INVALID_TOKEN";
  return (
    <Stack gap="md">
      <Title order={1}>{t("reset.title")}</Title>
      {!token ? (
        <>
          <Alert color="red" role="alert">
            {t("reset.missingToken")}
          </Alert>
          <Anchor component={Link} to="/forgot-password">
            {t("reset.requestNew")}
          </Anchor>
        </>
      ) : reset.isSuccess ? (
        <>
          <Alert color="teal" role="status">
            <Text size="sm">{t("reset.done")}</Text>
          </Alert>
          <Button component={Link} to="/sign-in" w="fit-content">
            {t("reset.signIn")}
          </Button>
        </>
      ) : (
        <>
          {reset.error && !namesInput(form, reset.error) && <ApiErrorAlert error={reset.error} />}
          {tokenRefused && (
            <Anchor component={Link} to="/forgot-password">
              {t("reset.requestNew")}
            </Anchor>
          )}
          <form
            noValidate
            onSubmit={form.onSubmit(({ password }) =>
              reset.mutate(
                { token, password },
                { onError: (error) => markField(form, error, errorMessage(t, error)) },
              ),
            )}
          >
            <Fieldset variant="unstyled" disabled={reset.isPending}>
              <Stack gap="sm">
                <NewPasswordFields
                  label={t("fields.newPassword")}
                  input={form.getInputProps("password")}
                  password={form.getValues().password}
                  rulesId="password-rules"
                  repeat={{
                    label: t("fields.confirmPassword"),
                    input: form.getInputProps("confirm"),
                  }}
                />
                <Button type="submit" loading={reset.isPending}>
                  {t("reset.submit")}
                </Button>
              </Stack>
            </Fieldset>
          </form>
        </>
      )}
    </Stack>
  );
}
