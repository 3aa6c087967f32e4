import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  Paper,
  Skeleton,
  Stack,
  Switch,
  Text,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type NotificationPreferences,
  type PreferencesChange,
  useNotificationPreferences,
  useUpdateNotificationPreferences,
} from "../../api/notifications";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { AccountNav } from "./AccountNav";

type Choices = Pick<NotificationPreferences, "emailEnabled" | "inAppEnabled"> & {
  types: Record<string, { email: boolean; inApp: boolean }>;
};

function choicesOf(preferences: NotificationPreferences): Choices {
  return {
    emailEnabled: preferences.emailEnabled,
    inAppEnabled: preferences.inAppEnabled,
    types: Object.fromEntries(
      Object.entries(preferences.types).map(([type, c]) => [
        type,
        { email: c.email, inApp: c.inApp },
      ]),
    ),
  };
}

/** The two master switches and, per kind, a checkbox for each channel; saved together (PUT). */
function PreferencesForm({
  userId,
  preferences,
}: {
  userId: string;
  preferences: NotificationPreferences;
}) {
  const { t } = useTranslation("account");
  const update = useUpdateNotificationPreferences(userId);
  const [choices, setChoices] = useState(() => choicesOf(preferences));
  const typeName = (type: string) =>
    t(`preferences.types.${type}`, { defaultValue: preferences.types[type]?.description ?? type });
  const setType = (type: string, channel: "email" | "inApp", value: boolean) => {
    update.reset();
    setChoices((c) => ({
      ...c,
      types: {
        ...c.types,
        [type]: { ...(c.types[type] ?? { email: false, inApp: true }), [channel]: value },
      },
    }));
  };
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate(choices as PreferencesChange, {
          onSuccess: (stored) => setChoices(choicesOf(stored)),
        });
      }}
    >
      <Fieldset variant="unstyled" disabled={update.isPending}>
        <Stack gap="lg">
          <Stack gap="sm" component="section" aria-labelledby="channels-title">
            <Title order={2} size="h3" id="channels-title">
              {t("preferences.channelsTitle")}
            </Title>
            <Switch
              label={t("preferences.emailEnabled")}
              description={t("preferences.emailEnabledHint")}
              checked={choices.emailEnabled}
              onChange={(e) => {
                const value = e.currentTarget.checked;
                update.reset();
                setChoices((c) => ({ ...c, emailEnabled: value }));
              }}
            />
            <Switch
              label={t("preferences.inAppEnabled")}
              description={t("preferences.inAppEnabledHint")}
              checked={choices.inAppEnabled}
              onChange={(e) => {
                const value = e.currentTarget.checked;
                update.reset();
                setChoices((c) => ({ ...c, inAppEnabled: value }));
              }}
            />
          </Stack>
          <Stack gap="sm" component="section" aria-labelledby="types-title">
            <Title order={2} size="h3" id="types-title">
              {t("preferences.typesTitle")}
            </Title>
            <Stack component="ul" gap="xs" style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {Object.keys(choices.types).map((type) => {
                const name = typeName(type);
                const choice = choices.types[type] ?? { email: false, inApp: true };
                return (
                  <Paper component="li" key={type} withBorder p="sm" radius="md">
                    <Group justify="space-between" gap="sm" wrap="wrap">
                      <Text size="sm" fw={500} style={{ flex: "1 1 200px" }}>
                        {name}
                      </Text>
                      <Group gap="md" wrap="nowrap">
                        <Checkbox
                          label={t("preferences.inApp")}
                          aria-label={t("preferences.inAppFor", { type: name })}
                          checked={choice.inApp}
                          disabled={!choices.inAppEnabled}
                          onChange={(e) => setType(type, "inApp", e.currentTarget.checked)}
                        />
                        <Checkbox
                          label={t("preferences.email")}
                          aria-label={t("preferences.emailFor", { type: name })}
                          checked={choice.email}
                          disabled={!choices.emailEnabled}
                          onChange={(e) => setType(type, "email", e.currentTarget.checked)}
                        />
                      </Group>
                    </Group>
                  </Paper>
                );
              })}
            </Stack>
          </Stack>
          {update.error && <ApiErrorAlert error={update.error} title={t("preferences.title")} />}
          <Button type="submit" loading={update.isPending} w="fit-content">
            {t("preferences.save")}
          </Button>
          {update.isSuccess && (
            <Alert color="teal" role="status">
              {t("preferences.saved")}
            </Alert>
          )}
        </Stack>
      </Fieldset>
    </form>
  );
}

/** /account/notifications: GET and PUT /notifications/preferences. */
export function NotificationPreferencesPage() {
  const { t } = useTranslation("account");
  usePageTitle(t("preferences.title"));
  const me = useSignedInMe();
  const preferences = useNotificationPreferences(me.user.id);
  return (
    <Stack gap="lg" maw={720}>
      <Title order={1}>{t("preferences.title")}</Title>
      <AccountNav />
      <Text>{t("preferences.intro")}</Text>
      <PageState
        query={preferences}
        pending={
          <Stack gap="sm">
            <Skeleton h={60} radius="md" />
            <Skeleton h={300} radius="md" />
          </Stack>
        }
      >
        {(data) => <PreferencesForm userId={me.user.id} preferences={data} />}
      </PageState>
    </Stack>
  );
}
