import { Button, Code, List, Paper, Stack, Text, Textarea, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { type MappingPreviewInput, useMappingPreview } from "../../api/integrations";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { asJson, parseObject, placeFieldError } from "./rules";

const SAMPLE = asJson({
  user: { email: "jane@example.org", fullname: "Jane Doe" },
  course: { id: "42" },
  status: "Done",
});

/**
 * "Preview on a sample record": the rules as typed in the form (not yet saved) applied to a
 * record pasted here, with the Lyceum record and each problem the server finds.
 */
export function MappingPreview({
  integrationId,
  rules,
}: {
  integrationId: string;
  rules: () => Omit<MappingPreviewInput, "record">;
}) {
  const { t } = useTranslation("integrations");
  const preview = useMappingPreview(integrationId);
  const [sample, setSample] = useState(SAMPLE);
  const [error, setError] = useState<string | null>(null);
  const placed = preview.error instanceof ApiError ? placeFieldError(preview.error.field) : null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="preview-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="preview-heading">
          {t("preview.heading")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("preview.intro")}
        </Text>
        <Textarea
          label={t("preview.sample")}
          autosize
          minRows={4}
          maxRows={16}
          ff="monospace"
          spellCheck={false}
          value={sample}
          onChange={(e) => setSample(e.currentTarget.value)}
          error={error}
        />
        <Button
          w="fit-content"
          variant="default"
          loading={preview.isPending}
          onClick={() => {
            const record = parseObject(sample);
            if (!record.ok) {
              setError(t(`form.${record.error}`));
              return;
            }
            setError(null);
            preview.mutate({ record: record.value, ...rules() });
          }}
        >
          {t("preview.run")}
        </Button>
        {preview.error &&
          (placed?.rule ? (
            <Text size="sm" c="red.9" role="alert">
              {t(`form.${placed.input}`)} —{" "}
              {t("form.ruleError", {
                index: placed.rule.index,
                path: placed.rule.path,
                message: errorMessage(t, preview.error),
              })}
            </Text>
          ) : (
            <ApiErrorAlert error={preview.error} />
          ))}
        {preview.data && (
          <Stack gap="xs" role="status" aria-live="polite">
            <Title order={3} size="h4">
              {t("preview.result")}
            </Title>
            <Code block tabIndex={0} role="region" aria-label={t("preview.result")}>
              {asJson(preview.data.record)}
            </Code>
            <Title order={3} size="h4">
              {t("preview.problems")}
            </Title>
            {preview.data.problems.length === 0 ? (
              <Text size="sm">{t("preview.noProblems")}</Text>
            ) : (
              <List size="sm">
                {preview.data.problems.map((p) => (
                  <List.Item key={`${p.field}-${p.rule}-${p.message}`}>
                    {t("preview.problem", { field: p.field, rule: p.rule, message: p.message })}
                  </List.Item>
                ))}
              </List>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
