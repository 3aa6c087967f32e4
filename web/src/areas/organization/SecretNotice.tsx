import { Alert, Button, Code, CopyButton, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

/**
 * A secret shown once — a new API key's full value (the server keeps only its hash), a
 * webhook's signing secret (kept sealed): copy it now, or replace it later. The title and text
 * say which.
 */
export function SecretNotice({
  title,
  text,
  secret,
  onDone,
}: {
  title: string;
  text: string;
  secret: string;
  onDone: () => void;
}) {
  const { t } = useTranslation("organization");
  return (
    <Alert color="blue" variant="light" title={title}>
      <Stack gap="xs">
        <Text size="sm">{text}</Text>
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
