import { Alert, Button, Fieldset, Stack, Text, TextInput, Title } from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { useUpdateProfile } from "../../api/account";
import type { Me } from "../../api/session";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { markField, namesInput } from "../auth/forms";

/**
 * Changing the address: PATCH /users/me { email } mails a link to the new address; until it
 * is opened (/verify-email) the old one stays in use and the new one waits as `pendingEmail`.
 */
export function EmailSection({ user }: { user: Me["user"] }) {
  const { t } = useTranslation("account");
  const update = useUpdateProfile();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const schema = useMemo(
    () =>
      z.object({
        email: z
          .email(t("email.invalid"))
          .max(255)
          .refine((email) => email.toLowerCase() !== user.email, t("email.same")),
      }),
    [t, user.email],
  );
  const form = useForm({
    initialValues: { email: "" },
    validate: schemaResolver(schema, { sync: true }),
  });
  return (
    <Stack gap="sm" component="section" aria-labelledby="email-title">
      <Title order={2} size="h3" id="email-title">
        {t("email.title")}
      </Title>
      <Text>{t("email.current", { email: user.email })}</Text>
      {user.pendingEmail && (
        <Alert color="yellow" role="status">
          {t("email.pending", { email: user.pendingEmail, current: user.email })}
        </Alert>
      )}
      {update.error && !namesInput(form, update.error) && (
        <ApiErrorAlert error={update.error} title={t("email.title")} />
      )}
      <form
        noValidate
        onSubmit={form.onSubmit(({ email }) => {
          setSentTo(null);
          update.mutate(
            { email },
            {
              onSuccess: (me) => {
                setSentTo(me.user.pendingEmail ?? email);
                form.reset();
              },
              onError: (error) => markField(form, error, errorMessage(t, error)),
            },
          );
        })}
      >
        <Fieldset variant="unstyled" disabled={update.isPending}>
          <Stack gap="sm">
            <TextInput
              label={t("email.newEmail")}
              type="email"
              autoComplete="email"
              required
              {...form.getInputProps("email")}
            />
            <Button type="submit" loading={update.isPending} w="fit-content">
              {t("email.submit")}
            </Button>
          </Stack>
        </Fieldset>
      </form>
      {sentTo && (
        <Alert color="teal" role="status">
          {t("email.sent", { email: sentTo })}
        </Alert>
      )}
    </Stack>
  );
}
