import {
  Alert,
  Button,
  Fieldset,
  Group,
  Select,
  Stack,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { type ProfilePatch, useUpdateProfile } from "../../api/account";
import type { Me } from "../../api/session";
import { changeLanguage, LANGUAGES, supported } from "../../i18n";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { NameFields } from "../auth/AccountFields";
import { markField, namesInput } from "../auth/forms";

/** Every IANA zone the browser knows, with the person's own even when it is not listed. */
function timeZones(current: string): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes(current) ? zones : [current, ...zones];
}

/** Name, display name, bio, time zone and language (PATCH /users/me with what changed). */
export function ProfileForm({ user }: { user: Me["user"] }) {
  const { t, i18n } = useTranslation("account");
  const update = useUpdateProfile();
  const schema = useMemo(
    () =>
      z.object({
        firstName: z
          .string()
          .trim()
          .min(1, t("profile.required"))
          .max(100, t("profile.tooLong", { count: 100 })),
        lastName: z
          .string()
          .trim()
          .min(1, t("profile.required"))
          .max(100, t("profile.tooLong", { count: 100 })),
        displayName: z
          .string()
          .trim()
          .max(200, t("profile.tooLong", { count: 200 })),
        bio: z.string().max(5000, t("profile.tooLong", { count: 5000 })),
        timezone: z.string().min(1, t("profile.required")),
        preferredLanguage: z.string().min(1, t("profile.required")),
      }),
    [t],
  );
  const form = useForm({
    initialValues: {
      firstName: user.firstName,
      lastName: user.lastName,
      displayName: user.displayName ?? "",
      bio: user.bio ?? "",
      timezone: user.timezone,
      preferredLanguage: user.preferredLanguage,
    },
    validate: schemaResolver(schema, { sync: true }),
  });
  const zones = useMemo(() => timeZones(user.timezone), [user.timezone]);
  const languages = useMemo(() => {
    const tags: string[] = [...LANGUAGES];
    if (!tags.includes(user.preferredLanguage)) tags.push(user.preferredLanguage);
    return tags.map((tag) => ({
      value: tag,
      label: supported(tag) ? t(`common:languages.${supported(tag)}`) : tag,
    }));
  }, [user.preferredLanguage, t]);

  const save = form.onSubmit((values) => {
    // Only what changed goes to the server; empty optional texts are cleared (null).
    const next = {
      firstName: values.firstName.trim(),
      lastName: values.lastName.trim(),
      displayName: values.displayName.trim() || null,
      bio: values.bio.trim() || null,
      timezone: values.timezone,
      preferredLanguage: values.preferredLanguage,
    };
    const patch: ProfilePatch = {};
    for (const key of Object.keys(next) as Array<keyof typeof next>) {
      if (next[key] !== user[key]) Object.assign(patch, { [key]: next[key] });
    }
    update.mutate(patch, {
      onSuccess: (me) => {
        form.setInitialValues({
          ...values,
          displayName: me.user.displayName ?? "",
          bio: me.user.bio ?? "",
        });
        form.resetDirty();
        const language = supported(me.user.preferredLanguage);
        if (language && language !== i18n.language) void changeLanguage(language);
      },
      onError: (error) => markField(form, error, errorMessage(t, error)),
    });
  });

  return (
    <Stack gap="sm" component="section" aria-labelledby="details-title">
      <Title order={2} size="h3" id="details-title">
        {t("profile.detailsTitle")}
      </Title>
      {update.error && !namesInput(form, update.error) && (
        <ApiErrorAlert error={update.error} title={t("profile.detailsTitle")} />
      )}
      <form noValidate onSubmit={save}>
        <Fieldset variant="unstyled" disabled={update.isPending}>
          <Stack gap="sm">
            <NameFields
              form={form}
              firstNameLabel={t("profile.firstName")}
              lastNameLabel={t("profile.lastName")}
            />
            <TextInput
              label={t("profile.displayName")}
              description={t("profile.displayNameHint")}
              autoComplete="nickname"
              {...form.getInputProps("displayName")}
            />
            <Textarea
              label={t("profile.bio")}
              description={t("profile.bioHint")}
              autosize
              minRows={3}
              maxRows={10}
              {...form.getInputProps("bio")}
            />
            <Group grow align="flex-start" wrap="wrap">
              <Select
                label={t("profile.timezone")}
                description={t("profile.timezoneHint")}
                data={zones}
                searchable
                allowDeselect={false}
                miw={200}
                {...form.getInputProps("timezone")}
              />
              <Select
                label={t("profile.language")}
                data={languages}
                allowDeselect={false}
                miw={140}
                {...form.getInputProps("preferredLanguage")}
              />
            </Group>
            <Button type="submit" loading={update.isPending} w="fit-content">
              {t("profile.save")}
            </Button>
            {update.isSuccess && (
              <Alert color="teal" role="status">
                {t("profile.saved")}
              </Alert>
            )}
          </Stack>
        </Fieldset>
      </form>
    </Stack>
  );
}
