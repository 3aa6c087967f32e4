import { Button, Group, Modal, Select, Stack, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useCreateCourse } from "../../api/authoring";
import { ApiError } from "../../api/errors";
import { holdsKey, useOrganizationsWith } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { keyFromName } from "../../ui/keys";

const CODE = /^[A-Z0-9][A-Z0-9_-]{1,49}$/;
/** The platform-wide catalog, for platform administrators (no organization). */
const PLATFORM = "platform";

/** A course code suggested from the title's words: "Forklift safety" → "FORKLIFT-SAFETY". */
export function codeFromTitle(title: string): string {
  return keyFromName(title).toUpperCase().slice(0, 30);
}

/**
 * Starts a course: a title, a code (suggested from the title) and the organization whose
 * catalog it joins (platform administrators may also choose the platform-wide catalog). The
 * course starts as a draft with an Introduction module and opens in its editor.
 */
export function NewCourseDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const create = useCreateCourse(me.user.id);
  const organizations = useOrganizationsWith("courses:manage");
  const platform = holdsKey(me.platformPermissions, "courses:manage", ["all"]);
  const choices = [
    ...organizations.map((m) => ({ value: m.organization.id, label: m.organization.name })),
    ...(platform ? [{ value: PLATFORM, label: t("newCourse.platform") }] : []),
  ];
  const [title, setTitle] = useState("");
  const [code, setCode] = useState<string | null>(null);
  const [where, setWhere] = useState<string | null>(choices[0]?.value ?? null);
  const shownCode = code ?? codeFromTitle(title);
  const codeInvalid = shownCode !== "" && !CODE.test(shownCode);
  const failure = create.error instanceof ApiError ? create.error : null;
  const close = () => {
    create.reset();
    setTitle("");
    setCode(null);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t("newCourse.title")}
      closeButtonProps={{ "aria-label": t("common:confirm.cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (codeInvalid || !shownCode || !where) return;
          create.mutate(
            {
              title: title.trim(),
              code: shownCode,
              organizationId: where === PLATFORM ? null : where,
            },
            { onSuccess: (course) => navigate(`/teaching/courses/${course.id}`) },
          );
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t("settings.title")}
            required
            maxLength={255}
            value={title}
            onChange={(event) => setTitle(event.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            label={t("settings.code")}
            description={t("settings.codeHint")}
            required
            maxLength={50}
            value={shownCode}
            onChange={(event) => setCode(event.currentTarget.value.toUpperCase())}
            error={
              codeInvalid
                ? t("settings.codeInvalid")
                : failure?.field === "code"
                  ? errorMessage(t, failure)
                  : undefined
            }
          />
          {choices.length > 1 && (
            <Select
              label={t("newCourse.catalog")}
              data={choices}
              value={where}
              allowDeselect={false}
              onChange={setWhere}
            />
          )}
          {create.error && failure?.field !== "code" && <ApiErrorAlert error={create.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t("common:confirm.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!where}>
              {t("newCourse.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
