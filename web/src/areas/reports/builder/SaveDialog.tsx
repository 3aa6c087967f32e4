import { Button, Group, Modal, Radio, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../../api/errors";
import { type TemplateFields, useSaveTemplate } from "../../../api/reportBuilder";
import type { ReportDefinition, ReportTemplate } from "../../../api/reports";
import { useSignedInMe } from "../../../app/RequireAuth";
import { ApiErrorAlert, errorMessage } from "../../../ui/ApiErrorAlert";

const VISIBILITIES = ["private", "team", "department", "organization"] as const;
const FORMATS = ["excel", "pdf", "csv", "json"] as const;
const FORM_FIELDS = ["name", "description", "category", "visibility", "teamId", "departmentId"];

/**
 * Saves the report as a template: a new one, or the next version of the template it was
 * opened from when the person may change that one. Saved, it can be run and scheduled.
 */
export function SaveDialog({
  orgId,
  definition,
  from,
  mayChange,
  onSaved,
  onClose,
}: {
  orgId: string;
  definition: ReportDefinition;
  from: ReportTemplate | null;
  mayChange: boolean;
  onSaved: (template: ReportTemplate) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("reportBuilder");
  const { t: tc } = useTranslation();
  const me = useSignedInMe();
  const save = useSaveTemplate(me.user.id, orgId);
  const [mode, setMode] = useState<"version" | "new">(from && mayChange ? "version" : "new");
  const [fields, setFields] = useState<TemplateFields>({
    name: from ? (mayChange ? from.name : t("save.copyName", { name: from.name })) : "",
    description: from?.description ?? null,
    category: from && !from.isSystem ? from.category : "custom",
    visibility: from && from.visibility !== "global" && mayChange ? from.visibility : "private",
    defaultOutputFormat: from?.defaultOutputFormat ?? "excel",
  });
  // A refusal about one field shows at that field; any other above the buttons.
  const failed = save.error instanceof ApiError && save.error.field ? save.error.field : null;
  const errors: Partial<Record<string, string>> = failed
    ? { [failed]: errorMessage(tc, save.error) }
    : {};
  return (
    <Modal
      opened
      onClose={onClose}
      title={t("save.title")}
      closeButtonProps={{ "aria-label": t("save.close") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(
            { templateId: mode === "version" && from ? from.id : undefined, fields, definition },
            { onSuccess: onSaved },
          );
        }}
      >
        <Stack gap="sm">
          {from && mayChange && (
            <Radio.Group
              label={t("save.mode")}
              value={mode}
              onChange={(value) => setMode(value as "version" | "new")}
            >
              <Stack gap={4} mt={4}>
                <Radio
                  value="version"
                  label={t("save.asVersion", { name: from.name, version: from.version + 1 })}
                />
                <Radio value="new" label={t("save.asNew")} />
              </Stack>
            </Radio.Group>
          )}
          <TextInput
            label={t("save.name")}
            required
            maxLength={200}
            value={fields.name}
            onChange={(event) => setFields({ ...fields, name: event.currentTarget.value })}
            error={errors.name}
            data-autofocus
          />
          <Textarea
            label={t("save.description")}
            maxLength={2000}
            autosize
            minRows={2}
            value={fields.description ?? ""}
            onChange={(event) =>
              setFields({ ...fields, description: event.currentTarget.value || null })
            }
            error={errors.description}
          />
          <TextInput
            label={t("save.category")}
            required
            maxLength={60}
            value={fields.category}
            onChange={(event) => setFields({ ...fields, category: event.currentTarget.value })}
            error={errors.category}
          />
          <Select
            label={t("save.visibility")}
            data={VISIBILITIES.map((v) => ({ value: v, label: t(`save.visibilities.${v}`) }))}
            value={fields.visibility}
            allowDeselect={false}
            onChange={(value) =>
              value && setFields({ ...fields, visibility: value as TemplateFields["visibility"] })
            }
            error={errors.visibility ?? errors.teamId ?? errors.departmentId}
          />
          <Select
            label={t("save.format")}
            data={FORMATS.map((v) => ({ value: v, label: t(`save.formats.${v}`) }))}
            value={fields.defaultOutputFormat}
            allowDeselect={false}
            onChange={(value) =>
              value &&
              setFields({
                ...fields,
                defaultOutputFormat: value as TemplateFields["defaultOutputFormat"],
              })
            }
          />
          {save.error && !(failed && FORM_FIELDS.includes(failed)) && (
            <ApiErrorAlert error={save.error} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("save.cancel")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t("save.submit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
