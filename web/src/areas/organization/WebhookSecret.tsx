import { Alert, Button, Code, CopyButton, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** A webhook's signing secret, shown once (it is stored encrypted and never shown again). */
export function WebhookSecret({ secret, onDone }: { secret: string; onDone: () => void }) {
  const { t } = useTranslation("organization");
  return (
    <Alert color="blue" variant="light" title={t("webhooks.secretTitle")}>
      <Stack gap="xs">
        <Text size="sm">{t("webhooks.secretText")}</Text>
        <Code block style={{ overflowWrap: "anywhere", whiteSpace: "pre-wrap" }}>
          {secret}
        </Code>
        <Group gap="sm">
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button size="xs" onClick={copy} variant={copied ? "light" : "filled"}>
                {copied ? t("keys.copied") : t("keys.copy")}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={onDone}>
            {t("keys.stored")}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
