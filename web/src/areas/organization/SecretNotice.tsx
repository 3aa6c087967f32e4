import { Alert, Button, Code, CopyButton, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

/**
 * A new API key's full value, shown once (the server keeps only its hash): copy it now, or
 * replace the secret later.
 */
export function SecretNotice({
  name,
  secret,
  onDone,
}: {
  name: string;
  secret: string;
  onDone: () => void;
}) {
  const { t } = useTranslation("organization");
  return (
    <Alert color="blue" variant="light" title={t("keys.secretTitle", { name })}>
      <Stack gap="xs">
        <Text size="sm">{t("keys.secretText")}</Text>
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
