import { Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { PlatformFrame } from "../platform/PlatformFrame";
import { TemplatesEditor } from "./TemplatesEditor";

/**
 * `/platform/notification-templates`: the system templates every organization uses unless it
 * writes its own, versioned and approved by a second platform administrator.
 */
export function SystemTemplatesPage() {
  const { t } = useTranslation("notificationTemplates");
  return (
    <PlatformFrame title={t("system.title")} permission="organizations:update">
      <Stack gap="lg" mt="md">
        <Text size="sm" c="dimmed">
          {t("system.intro")}
        </Text>
        <TemplatesEditor scope={{ system: true }} />
      </Stack>
    </PlatformFrame>
  );
}
