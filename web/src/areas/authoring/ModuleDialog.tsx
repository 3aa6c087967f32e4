import {
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Switch,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Module, useOutlineChange } from "../../api/authoring";
import { ApiError } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { localInputValue } from "../../ui/days";

const UNLOCKS = ["immediate", "sequential", "scheduled", "prerequisites"] as const;

/**
 * A module's settings: title, description, published, estimated time, and its unlock rule —
 * open at once, after the module before it, at a date and time, or after chosen modules.
 * A problem the server finds shows at its field.
 */
export function ModuleDialog({
  courseId,
  module,
  others,
  onClose,
}: {
  courseId: string;
  module: Module;
  others: readonly Module[];
  onClose: () => void;
}) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const change = useOutlineChange(me.user.id, courseId);
  const [title, setTitle] = useState(module.title);
  const [description, setDescription] = useState(module.description ?? "");
  const [published, setPublished] = useState(module.isPublished);
  const [minutes, setMinutes] = useState<number | string>(module.estimatedDurationMinutes ?? "");
  const [unlockType, setUnlockType] = useState<Module["unlockType"]>(module.unlockType);
  const [unlockAt, setUnlockAt] = useState(module.unlockAt ? localInputValue(module.unlockAt) : "");
  const [prerequisites, setPrerequisites] = useState<string[]>(module.prerequisiteModuleIds);
  const failure = change.error instanceof ApiError ? change.error : null;
  const fieldError = (field: string) =>
    failure?.field === field ? errorMessage(t, failure) : undefined;
  const missingDate = unlockType === "scheduled" && !unlockAt;
  const missingPrerequisites = unlockType === "prerequisites" && prerequisites.length === 0;
  return (
    <Modal
      opened
      onClose={onClose}
      title={t("module.title", { title: module.title })}
      size="lg"
      closeButtonProps={{ "aria-label": t("common:confirm.cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (missingDate || missingPrerequisites) return;
          change.mutate(
            {
              kind: "changeModule",
              moduleId: module.id,
              patch: {
                title: title.trim(),
                description: description.trim() || null,
                isPublished: published,
                estimatedDurationMinutes: minutes === "" ? null : Number(minutes),
                unlockType,
                unlockAt:
                  unlockType === "scheduled" && unlockAt ? new Date(unlockAt).toISOString() : null,
                prerequisiteModuleIds: unlockType === "prerequisites" ? prerequisites : [],
              },
            },
            { onSuccess: onClose },
          );
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t("module.name")}
            required
            maxLength={255}
            value={title}
            onChange={(event) => setTitle(event.currentTarget.value)}
            error={fieldError("title")}
            data-autofocus
          />
          <Textarea
            label={t("module.description")}
            maxLength={5000}
            autosize
            minRows={2}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
          />
          <NumberInput
            label={t("module.minutes")}
            min={0}
            max={100_000}
            allowDecimal={false}
            value={minutes}
            onChange={setMinutes}
            maw={220}
          />
          <Switch
            label={t("module.published")}
            description={t("module.publishedHint")}
            checked={published}
            onChange={(event) => setPublished(event.currentTarget.checked)}
          />
          <Select
            label={t("module.unlock")}
            data={UNLOCKS.map((u) => ({ value: u, label: t(`unlock.${u}`) }))}
            value={unlockType}
            allowDeselect={false}
            onChange={(value) => value && setUnlockType(value as Module["unlockType"])}
            error={fieldError("unlockType")}
          />
          {unlockType === "scheduled" && (
            <TextInput
              type="datetime-local"
              label={t("module.unlockAt")}
              required
              value={unlockAt}
              onChange={(event) => setUnlockAt(event.currentTarget.value)}
              error={
                fieldError("unlockAt") ?? (missingDate ? t("module.unlockAtMissing") : undefined)
              }
              maw={280}
            />
          )}
          {unlockType === "prerequisites" && (
            <MultiSelect
              label={t("module.prerequisites")}
              required
              searchable
              data={others.map((m) => ({ value: m.id, label: m.title }))}
              value={prerequisites}
              onChange={setPrerequisites}
              error={
                fieldError("prerequisiteModuleIds") ??
                (missingPrerequisites ? t("module.prerequisitesMissing") : undefined)
              }
            />
          )}
          {change.error && !fieldError(failure?.field ?? "") && (
            <ApiErrorAlert error={change.error} />
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t("common:confirm.cancel")}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {t("module.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
