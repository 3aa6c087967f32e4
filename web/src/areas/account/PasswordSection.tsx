import { Alert, Button, Fieldset, PasswordInput, Stack, Title } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { useChangePassword } from "../../api/account";
import type { Me } from "../../api/session";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { NewPasswordFields } from "../auth/AccountFields";
import { markField, namesInput } from "../auth/forms";
import { passwordAcceptable } from "../auth/PasswordRules";

/** POST /auth/change-password with the live password rules; other sessions are signed out. */
export function PasswordSection({ user }: { user: Me["user"] }) {
  const { t } = useTranslation("account");
  const change = useChangePassword(user.id);
  const schema = useMemo(
    () =>
      z
        .object({
          currentPassword: z.string().min(1, t("profile.required")),
          newPassword: z.string(),
          repeat: z.string(),
        })
        .refine((v) => passwordAcceptable(v.newPassword, user.email), {
          path: ["newPassword"],
          message: t("auth:password.rulesTitle"),
        })
        .refine((v) => v.repeat === v.newPassword, {
          path: ["repeat"],
          message: t("password.mismatch"),
        }),
    [t, user.email],
  );
  const form = useForm({
    mode: "controlled",
    initialValues: { currentPassword: "", newPassword: "", repeat: "" },
    validate: schemaResolver(schema, { sync: true }),
  });
  return (
    <Stack gap="sm" component="section" aria-labelledby="password-title">
      <Title order={2} size="h3" id="password-title">
        {t("password.title")}
      </Title>
      {change.error && !namesInput(form, change.error) && (
        <ApiErrorAlert error={change.error} title={t("password.title")} />
      )}
      <form
        noValidate
        onSubmit={form.onSubmit(({ currentPassword, newPassword }) =>
          change.mutate(
            { currentPassword, newPassword },
            {
              onSuccess: () => form.reset(),
              onError: (error) => markField(form, error, errorMessage(t, error)),
            },
          ),
        )}
      >
        <Fieldset variant="unstyled" disabled={change.isPending}>
          <Stack gap="sm">
            <PasswordInput
              label={t("password.current")}
              autoComplete="current-password"
              required
              {...form.getInputProps("currentPassword")}
            />
            <NewPasswordFields
              label={t("password.new")}
              input={form.getInputProps("newPassword")}
              password={form.getValues().newPassword}
              email={user.email}
              rulesId="new-password-rules"
              repeat={{ label: t("password.repeat"), input: form.getInputProps("repeat") }}
            />
            <Button type="submit" loading={change.isPending} w="fit-content">
              {t("password.submit")}
            </Button>
          </Stack>
        </Fieldset>
      </form>
      {change.isSuccess && (
        <Alert color="teal" role="status">
          {t("password.changed")}
        </Alert>
      )}
    </Stack>
  );
}
