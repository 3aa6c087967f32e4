import { Loader, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { TemplatePreview } from "../../api/notificationTemplates";

/**
 * Texts rendered by the server with sample values (`[courseTitle]` …): subject and body, and
 * for mail the page as sent, in a frame that runs nothing (no scripts, no links followed).
 */
export function TemplatePreviewPanel({
  preview,
  pending,
  failed,
  headingId = "preview-heading",
}: {
  preview: TemplatePreview | undefined;
  pending: boolean;
  failed: boolean;
  headingId?: string;
}) {
  const { t } = useTranslation("notificationTemplates");
  return (
    <Stack gap="xs" mt="md" component="section" aria-labelledby={headingId}>
      <Title order={3} size="h4" id={headingId}>
        {t("preview.title")} {pending && <Loader size="xs" aria-hidden />}
      </Title>
      <Text size="xs" c="dimmed">
        {t("preview.hint")}
      </Text>
      {failed ? (
        <Text size="sm">{t("preview.failed")}</Text>
      ) : !preview ? (
        <Text size="sm">{t("preview.empty")}</Text>
      ) : (
        <Paper withBorder p="sm" radius="sm" bg="gray.0" data-testid="template-preview">
          <Stack gap={4}>
            <Text size="sm" fw={700} style={{ overflowWrap: "anywhere" }}>
              {preview.subject}
            </Text>
            <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
              {preview.body}
            </Text>
            {preview.html && (
              <iframe
                title={t("preview.mailFrame")}
                srcDoc={preview.html}
                sandbox=""
                style={{
                  width: "100%",
                  minHeight: 260,
                  border: "1px solid #ced4da",
                  background: "#fff",
                }}
              />
            )}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
