import {
  Button,
  Fieldset,
  Group,
  Modal,
  Radio,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ApiError } from "../../api/errors";
import {
  type ReportTemplateDetail,
  type TemplateChange,
  type TemplateShare,
  useShareTemplate,
  useUpdateTemplate,
} from "../../api/reports";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { DepartmentPicker, PeoplePicker, type Person, TeamPicker } from "../../ui/pickers";

/** Limits of PUT /report-templates/{id} (template-routes.ts). */
const NAME_MAX = 200;
const DESCRIPTION_MAX = 2000;

type Visibility = "private" | "team" | "department" | "organization";

/** The visibilities the person may pick: a team or department only when they can list them. */
function useVisibilities(orgId: string, current: string): Visibility[] {
  const may = useOrgPermission(orgId);
  return (["private", "team", "department", "organization"] as const).filter(
    (v) =>
      v === current ||
      (v === "team" ? may("teams:read") : v === "department" ? may("departments:read") : true),
  );
}

/**
 * Changes a template's name, description and visibility (`PUT`, which writes a new version);
 * closes with the new version's number. Unchanged fields are not sent.
 */
export function EditTemplateDialog({
  orgId,
  template,
  templateId,
  onSaved,
  onClose,
}: {
  orgId: string;
  template: ReportTemplateDetail;
  /** The id the page was opened with (its queries are keyed by it). */
  templateId: string;
  onSaved: (version: number | null) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("reports");
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const update = useUpdateTemplate(me.user.id, orgId, templateId);
  const visibilities = useVisibilities(orgId, template.visibility);
  const schema = useMemo(
    () =>
      z.object({
        name: z
          .string()
          .trim()
          .min(1, t("template.nameRequired"))
          .max(NAME_MAX, t("template.tooLong", { max: NAME_MAX })),
        description: z
          .string()
          .max(DESCRIPTION_MAX, t("template.tooLong", { max: DESCRIPTION_MAX })),
        visibility: z.enum(["private", "team", "department", "organization"]),
        teamId: z.string().nullable(),
        departmentId: z.string().nullable(),
      }),
    [t],
  );
  const form = useForm({
    initialValues: {
      name: template.name,
      description: template.description ?? "",
      visibility: template.visibility as Visibility,
      teamId: template.teamId,
      departmentId: template.departmentId,
    },
    validate: schemaResolver(schema, { sync: true }),
  });
  const values = form.getValues();
  const busy = update.isPending;
  const fieldError =
    update.error instanceof ApiError && update.error.field && update.error.field in values;
  const needsTeam = values.visibility === "team" && may("teams:read");
  const needsDepartment = values.visibility === "department" && may("departments:read");
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={t("template.editTitle", { name: template.name })}
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      closeButtonProps={{ "aria-label": t("templates.cancel") }}
    >
      <form
        noValidate
        onSubmit={form.onSubmit((v) => {
          if (v.visibility === "team" && needsTeam && !v.teamId)
            return form.setFieldError("teamId", t("template.placeRequired.team"));
          if (v.visibility === "department" && needsDepartment && !v.departmentId)
            return form.setFieldError("departmentId", t("template.placeRequired.department"));
          const change: TemplateChange = {};
          if (v.name.trim() !== template.name) change.name = v.name.trim();
          if (v.description.trim() !== (template.description ?? ""))
            change.description = v.description.trim() || null;
          if (v.visibility !== template.visibility) change.visibility = v.visibility;
          if (v.visibility === "team" && v.teamId && v.teamId !== template.teamId)
            change.teamId = v.teamId;
          if (
            v.visibility === "department" &&
            v.departmentId &&
            v.departmentId !== template.departmentId
          )
            change.departmentId = v.departmentId;
          if (Object.keys(change).length === 0) return onSaved(null);
          update.mutate(change, {
            onSuccess: (saved) => onSaved(saved.version),
            onError: (e) => {
              if (e instanceof ApiError && e.field && e.field in form.getValues())
                form.setFieldError(e.field, errorMessage(t, e));
            },
          });
        })}
      >
        <Fieldset variant="unstyled" disabled={busy}>
          <Stack gap="sm">
            <TextInput
              label={t("template.name")}
              required
              maxLength={NAME_MAX}
              data-autofocus
              {...form.getInputProps("name")}
            />
            <Textarea
              label={t("template.description")}
              autosize
              minRows={2}
              maxLength={DESCRIPTION_MAX}
              {...form.getInputProps("description")}
            />
            <Select
              label={t("template.visibility")}
              data={visibilities.map((v) => ({
                value: v,
                label: t(`template.visibilities.${v}`),
              }))}
              allowDeselect={false}
              {...form.getInputProps("visibility")}
            />
            {needsTeam && (
              <TeamPicker
                orgId={orgId}
                value={values.teamId}
                onChange={(id) => form.setFieldValue("teamId", id)}
                error={form.errors.teamId as string | undefined}
              />
            )}
            {needsDepartment && (
              <DepartmentPicker
                orgId={orgId}
                value={values.departmentId}
                onChange={(id) => form.setFieldValue("departmentId", id)}
                error={form.errors.departmentId as string | undefined}
              />
            )}
            <Text size="sm" c="dimmed">
              {t("template.editHint")}
            </Text>
            {update.error && !fieldError && <ApiErrorAlert error={update.error} />}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                {t("templates.cancel")}
              </Button>
              <Button type="submit" loading={busy}>
                {t("template.save")}
              </Button>
            </Group>
          </Stack>
        </Fieldset>
      </form>
    </Modal>
  );
}

type Target = "people" | "team" | "department" | "organization";

/**
 * Shares a template (`POST …/share`): with people of the organization (added to those it is
 * shared with), or with a team, a department or the whole organization (its visibility).
 */
export function ShareTemplateDialog({
  orgId,
  template,
  templateId,
  onShared,
  onClose,
}: {
  orgId: string;
  template: ReportTemplateDetail;
  templateId: string;
  onShared: (message: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("reports");
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const share = useShareTemplate(me.user.id, orgId, templateId);
  const targets = (["people", "team", "department", "organization"] as const).filter((target) =>
    target === "people"
      ? may("members:read")
      : target === "team"
        ? may("teams:read")
        : target === "department"
          ? may("departments:read")
          : true,
  );
  const [target, setTarget] = useState<Target>(targets[0] ?? "organization");
  const [people, setPeople] = useState<Person[]>([]);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const busy = share.isPending;
  const submit = () => {
    setProblem(null);
    let body: TemplateShare;
    if (target === "people") {
      if (people.length === 0) return setProblem(t("template.shareNeeds.people"));
      body = { userIds: people.map((p) => p.userId) };
    } else if (target === "team") {
      if (!teamId) return setProblem(t("template.shareNeeds.team"));
      body = { visibility: "team", teamId };
    } else if (target === "department") {
      if (!departmentId) return setProblem(t("template.shareNeeds.department"));
      body = { visibility: "department", departmentId };
    } else body = { visibility: "organization" };
    share.mutate(body, {
      onSuccess: () =>
        onShared(
          target === "people"
            ? t("template.sharedDonePeople", { count: people.length })
            : t(`template.sharedDone.${target}`),
        ),
    });
  };
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={t("template.shareTitle", { name: template.name })}
      size="lg"
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      closeButtonProps={{ "aria-label": t("templates.cancel") }}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Fieldset variant="unstyled" disabled={busy}>
          <Stack gap="sm">
            <Radio.Group
              label={t("template.shareWith")}
              value={target}
              onChange={(value) => {
                setProblem(null);
                setTarget(value as Target);
              }}
            >
              <Stack gap="xs" mt={4}>
                {targets.map((value) => (
                  <Radio key={value} value={value} label={t(`template.shareTargets.${value}`)} />
                ))}
              </Stack>
            </Radio.Group>
            {target === "people" && (
              <PeoplePicker orgId={orgId} value={people} onChange={setPeople} />
            )}
            {target === "team" && <TeamPicker orgId={orgId} value={teamId} onChange={setTeamId} />}
            {target === "department" && (
              <DepartmentPicker orgId={orgId} value={departmentId} onChange={setDepartmentId} />
            )}
            <Text size="sm" c="dimmed">
              {t(`template.shareHints.${target}`)}
            </Text>
            {problem && (
              <Text size="sm" c="red.9" role="alert">
                {problem}
              </Text>
            )}
            {share.error && <ApiErrorAlert error={share.error} />}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                {t("templates.cancel")}
              </Button>
              <Button type="submit" loading={busy}>
                {t("template.shareSubmit")}
              </Button>
            </Group>
          </Stack>
        </Fieldset>
      </form>
    </Modal>
  );
}
