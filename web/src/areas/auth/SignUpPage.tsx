import { Anchor, Button, Fieldset, Stack, Text, TextInput, Title } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { z } from "zod";
import { useRegister } from "../../api/session";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { usePageTitle } from "../../ui/usePageTitle";
import { NameFields, NewPasswordFields } from "./AccountFields";
import { markField, namesInput } from "./forms";
import { passwordAcceptable } from "./PasswordRules";

export function SignUpPage() {
  const { t, i18n } = useTranslation("auth");
  usePageTitle(t("signUp.title"));
  const navigate = useNavigate();
  const register = useRegister();
  const schema = useMemo(
    () =>
      z
        .object({
          firstName: z.string().trim().min(1, t("validation.required")).max(100),
          lastName: z.string().trim().min(1, t("validation.required")).max(100),
          email: z.email(t("validation.email")).max(255),
          password: z.string(),
        })
        .refine((v) => passwordAcceptable(v.password, v.email), {
          path: ["password"],
          message: t("password.rulesTitle"),
        }),
    [t],
  );
  const form = useForm({
    mode: "controlled",
    initialValues: { firstName: "", lastName: "", email: "", password: "" },
    validate: schemaResolver(schema, { sync: true }),
  });
  const values = form.getValues();
  return (
    <Stack gap="md">
      <Title order={1}>{t("signUp.title")}</Title>
      {register.error && !namesInput(form, register.error) && (
        <ApiErrorAlert error={register.error} title={t("signUp.title")} />
      )}
      <form
        noValidate
        onSubmit={form.onSubmit((input) =>
          register.mutate(
            {
              ...input,
              timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
              preferredLanguage: i18n.language,
            },
            {
              onSuccess: () =>
                navigate(`/check-email?email=${encodeURIComponent(input.email)}`, {
                  replace: true,
                }),
              onError: (error) => markField(form, error, errorMessage(t, error)),
            },
          ),
        )}
      >
        <Fieldset variant="unstyled" disabled={register.isPending}>
          <Stack gap="sm">
            <NameFields
              form={form}
              firstNameLabel={t("fields.firstName")}
              lastNameLabel={t("fields.lastName")}
            />
            <TextInput
              label={t("fields.email")}
              type="email"
              autoComplete="email"
              required
              {...form.getInputProps("email")}
            />
            <NewPasswordFields
              label={t("fields.password")}
              input={form.getInputProps("password")}
              password={values.password}
              email={values.email}
              rulesId="password-rules"
            />
            <Button type="submit" loading={register.isPending}>
              {t("signUp.submit")}
            </Button>
          </Stack>
        </Fieldset>
      </form>
      <Text>
        {t("signUp.haveAccount")}{" "}
        <Anchor component={Link} to="/sign-in">
          {t("signUp.signIn")}
        </Anchor>
      </Text>
    </Stack>
  );
}
