import { Paper, Skeleton, Stack, Switch, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  useNotificationSettings,
  useUpdateNotificationSettings,
} from "../../api/notificationTemplates";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { OrganizationFrame } from "../organization/OrganizationFrame";
import { TemplatesEditor } from "./TemplatesEditor";

/**
 * `/organization/notifications?org=…`: the organization's notification texts (its overrides
 * of the system templates, with preview and approval) and whether its mails are tracked.
 */
export function OrganizationTemplatesPage() {
  const { t } = useTranslation("notificationTemplates");
  return (
    <OrganizationFrame title={t("page.title")} permission="organizations:update">
      {(orgId) => (
        <Stack gap="lg" mt="md">
          <Text size="sm" c="dimmed">
            {t("page.intro")}
          </Text>
          <TrackingSetting orgId={orgId} />
          <TemplatesEditor scope={{ orgId }} />
        </Stack>
      )}
    </OrganizationFrame>
  );
}

function TrackingSetting({ orgId }: { orgId: string }) {
  const { t } = useTranslation("notificationTemplates");
  const me = useSignedInMe();
  const settings = useNotificationSettings(me.user.id, orgId);
  const update = useUpdateNotificationSettings(me.user.id, orgId);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="tracking-heading">
      <Stack gap="xs">
        <Title order={2} size="h3" id="tracking-heading">
          {t("tracking.title")}
        </Title>
        <PageState query={settings} pending={<Skeleton h={40} />}>
          {(data) => (
            <Switch
              label={t("tracking.label")}
              description={t("tracking.hint")}
              checked={data.trackingEnabled}
              disabled={update.isPending}
              onChange={(e) => update.mutate(e.currentTarget.checked)}
            />
          )}
        </PageState>
        {update.error && <ApiErrorAlert error={update.error} />}
        <Text size="sm" role="status" aria-live="polite">
          {update.isSuccess ? t(update.data.trackingEnabled ? "tracking.on" : "tracking.off") : ""}
        </Text>
      </Stack>
    </Paper>
  );
}
