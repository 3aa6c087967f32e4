import { Alert, Anchor, Button, Fieldset, Stack, Text, TextInput, Title } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { z } from "zod";
import { useForgotPassword } from "../../api/session";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { usePageTitle } from "../../ui/usePageTitle";
import { markField, namesInput } from "./forms";

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const { t } = useTranslation("auth");
  usePageTitle(t("forgot.title"));
  const forgot = useForgotPassword();
  const schema = useMemo(() => z.object({ email: z.email(t("validation.email")) }), [t]);
  const form = useForm({
    initialValues: { email: "" },
    validate: schemaResolver(schema, { sync: true }),
  });
  return (
    <Stack gap="md">
      <Title order={1}>{t("forgot.title")}</Title>
      {forgot.isSuccess ? (
        <Alert color="teal" role="status">
          <Text size="sm">{t("forgot.sent", { email: forgot.variables })}</Text>
        </Alert>
      ) : (
        <>
          <Text>{t("forgot.intro")}</Text>
          {forgot.error && !namesInput(form, forgot.error) && (
            <ApiErrorAlert error={forgot.error} />
          )}
          <form
            noValidate
            onSubmit={form.onSubmit(({ email }) =>
              forgot.mutate(email, {
                onError: (error) => markField(form, error, errorMessage(t, error)),
              }),
            )}
          >
            <Fieldset variant="unstyled" disabled={forgot.isPending}>
              <Stack gap="sm">
                <TextInput
                  label={t("fields.email")}
                  type="email"
                  autoComplete="email"
                  required
                  {...form.getInputProps("email")}
                />
                <Button type="submit" loading={forgot.isPending}>
                  {t("forgot.submit")}
                </Button>
              </Stack>
            </Fieldset>
          </form>
        </>
      )}
      <Anchor component={Link} to="/sign-in">
        {t("forgot.back")}
      </Anchor>
    </Stack>
  );
}
