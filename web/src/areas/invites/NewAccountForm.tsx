import { Button, Fieldset, Group, Stack, TextInput, Title } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import type { useAcceptInviteAsNew } from "../../api/invites";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { NameFields, NewPasswordFields } from "../auth/AccountFields";
import { markField, namesInput } from "../auth/forms";
import { passwordAcceptable } from "../auth/PasswordRules";

/**
 * For an address without an account: name and password, then POST /invites/accept-new,
 * which creates the account (verified: the link proves the address) and joins in one step.
 */
export function NewAccountForm({
  email,
  onDecline,
  accept,
}: {
  email: string;
  onDecline: () => void;
  accept: ReturnType<typeof useAcceptInviteAsNew>;
}) {
  const { t } = useTranslation(["invites", "auth"]);
  const schema = useMemo(
    () =>
      z
        .object({
          firstName: z.string().trim().min(1, t("accept.required")).max(100),
          lastName: z.string().trim().min(1, t("accept.required")).max(100),
          password: z.string(),
        })
        .refine((v) => passwordAcceptable(v.password, email), {
          path: ["password"],
          message: t("auth:password.rulesTitle"),
        }),
    [t, email],
  );
  const form = useForm({
    mode: "controlled",
    initialValues: { firstName: "", lastName: "", password: "" },
    validate: schemaResolver(schema, { sync: true }),
  });
  return (
    <Stack gap="sm" component="section" aria-labelledby="new-account-title">
      <Title order={2} size="h3" id="new-account-title">
        {t("accept.newAccountTitle")}
      </Title>
      {accept.error && !namesInput(form, accept.error) && (
        <ApiErrorAlert error={accept.error} title={t("accept.newAccountTitle")} />
      )}
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          accept.mutate(values, {
            onError: (error) => markField(form, error, errorMessage(t, error)),
          }),
        )}
      >
        <Fieldset variant="unstyled" disabled={accept.isPending}>
          <Stack gap="sm">
            <TextInput label={t("accept.email")} value={email} readOnly autoComplete="email" />
            <NameFields
              form={form}
              firstNameLabel={t("accept.firstName")}
              lastNameLabel={t("accept.lastName")}
            />
            <NewPasswordFields
              label={t("accept.password")}
              input={form.getInputProps("password")}
              password={form.getValues().password}
              email={email}
              rulesId="invite-password-rules"
            />
            <Group gap="sm" wrap="wrap">
              <Button type="submit" loading={accept.isPending}>
                {t("accept.createAndJoin")}
              </Button>
              <Button variant="default" onClick={onDecline}>
                {t("accept.decline")}
              </Button>
            </Group>
          </Stack>
        </Fieldset>
      </form>
    </Stack>
  );
}
