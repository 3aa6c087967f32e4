import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
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

type Digest = NotificationPreferences["digest"];
const DIGESTS: readonly Digest[] = ["immediate", "daily", "weekly"];

/** A kind's choices; `digest` null follows the overall choice. */
type TypeChoice = {
  email: boolean;
  inApp: boolean;
  sms: boolean;
  push: boolean;
  digest: Digest | null;
};
type Choices = Pick<NotificationPreferences, "emailEnabled" | "inAppEnabled" | "digest"> & {
  types: Record<string, TypeChoice>;
};
const NO_CHOICE: TypeChoice = { email: false, inApp: true, sms: false, push: false, digest: null };

export function choicesOf(preferences: NotificationPreferences): Choices {
  return {
    emailEnabled: preferences.emailEnabled,
    inAppEnabled: preferences.inAppEnabled,
    digest: preferences.digest,
    types: Object.fromEntries(
      Object.entries(preferences.types).map(([type, c]) => [
        type,
        {
          email: c.email,
          inApp: c.inApp,
          sms: c.sms,
          push: c.push,
          digest: c.digest === preferences.digest ? null : c.digest,
        },
      ]),
    ),
  };
}

/**
 * The PUT body of the choices: every kind with all its channels, a kind that follows the
 * overall digest gets the overall one (so that a digest chosen for it before is replaced).
 */
export function changeOf(choices: Choices): PreferencesChange {
  return {
    emailEnabled: choices.emailEnabled,
    inAppEnabled: choices.inAppEnabled,
    digest: choices.digest,
    types: Object.fromEntries(
      Object.entries(choices.types).map(([type, c]) => [
        type,
        { ...c, digest: c.digest ?? choices.digest },
      ]),
    ),
  } as PreferencesChange;
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
  const setType = <K extends keyof TypeChoice>(type: string, key: K, value: TypeChoice[K]) => {
    update.reset();
    setChoices((c) => ({
      ...c,
      types: { ...c.types, [type]: { ...(c.types[type] ?? NO_CHOICE), [key]: value } },
    }));
  };
  const digestName = (d: Digest) => t(`preferences.digests.${d}`);
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate(changeOf(choices), {
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
            <NativeSelect
              label={t("preferences.digest")}
              description={t("preferences.digestHint")}
              value={choices.digest}
              disabled={!choices.emailEnabled}
              maw={360}
              data={DIGESTS.map((d) => ({ value: d, label: digestName(d) }))}
              onChange={(e) => {
                const value = e.currentTarget.value as Digest;
                update.reset();
                setChoices((c) => ({ ...c, digest: value }));
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
                const choice = choices.types[type] ?? NO_CHOICE;
                return (
                  <Paper component="li" key={type} withBorder p="sm" radius="md">
                    <Stack gap="xs">
                      <Text size="sm" fw={500}>
                        {name}
                      </Text>
                      <Group gap="md" wrap="wrap">
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
                        <Checkbox
                          label={t("preferences.sms")}
                          aria-label={t("preferences.smsFor", { type: name })}
                          checked={choice.sms}
                          onChange={(e) => setType(type, "sms", e.currentTarget.checked)}
                        />
                        <Checkbox
                          label={t("preferences.push")}
                          aria-label={t("preferences.pushFor", { type: name })}
                          checked={choice.push}
                          onChange={(e) => setType(type, "push", e.currentTarget.checked)}
                        />
                      </Group>
                      <NativeSelect
                        size="xs"
                        maw={320}
                        label={t("preferences.typeDigest")}
                        aria-label={t("preferences.digestFor", { type: name })}
                        value={choice.digest ?? ""}
                        disabled={!choices.emailEnabled || !choice.email}
                        data={[
                          {
                            value: "",
                            label: t("preferences.digestLikeAll", {
                              digest: digestName(choices.digest),
                            }),
                          },
                          ...DIGESTS.map((d) => ({ value: d, label: digestName(d) })),
                        ]}
                        onChange={(e) =>
                          setType(type, "digest", (e.currentTarget.value || null) as Digest | null)
                        }
                      />
                    </Stack>
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
