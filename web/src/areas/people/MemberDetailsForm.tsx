import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type Member,
  type MemberChange,
  type MemberStatus,
  useDepartments,
  useUpdateMember,
} from "../../api/people";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

const NO_DEPARTMENT = "";

/**
 * A member's department, title, employee id and status. Read-only without `members:manage`;
 * with it, a form that sends only what changed. Suspending a membership takes that
 * organization's permissions away at once (the server refuses to suspend the last
 * administrator, and says so here).
 */
export function MemberDetailsForm({
  orgId,
  member,
  editable,
}: {
  orgId: string;
  member: Member;
  editable: boolean;
}) {
  const { t } = useTranslation("people");
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const departments = useDepartments(me.user.id, orgId, editable && may("departments:read"));
  const update = useUpdateMember(me.user.id, orgId, member.userId);
  // Only what the person edits is held here; the rest follows the member as the server sends
  // it, so a refetch never turns someone else's change into one of ours.
  const [edits, setEdits] = useState<{
    title?: string;
    employeeId?: string;
    departmentId?: string;
    status?: MemberStatus;
  }>({});
  const [saved, setSaved] = useState(false);
  const title = edits.title ?? member.title ?? "";
  const employeeId = edits.employeeId ?? member.employeeId ?? "";
  const departmentId = edits.departmentId ?? member.department?.id ?? NO_DEPARTMENT;
  const status = edits.status ?? member.status;
  const edit = (change: typeof edits) => {
    setSaved(false);
    setEdits((current) => ({ ...current, ...change }));
  };

  if (!editable)
    return (
      <Stack gap="xs" component="section" aria-labelledby="details-heading">
        <Title order={2} id="details-heading">
          {t("member.details")}
        </Title>
        <Text>
          {t("members.department")}: {member.department?.name ?? t("members.noDepartment")}
        </Text>
        <Text>
          {t("member.jobTitle")}: {member.title ?? "—"}
        </Text>
      </Stack>
    );

  const change: MemberChange = {
    ...(title.trim() !== (member.title ?? "") ? { title: title.trim() || null } : {}),
    ...(employeeId.trim() !== (member.employeeId ?? "")
      ? { employeeId: employeeId.trim() || null }
      : {}),
    ...(departmentId !== (member.department?.id ?? NO_DEPARTMENT)
      ? { departmentId: departmentId || null }
      : {}),
    ...(status !== member.status ? { status } : {}),
  };
  const changed = Object.keys(change).length > 0;
  const departmentOptions = [
    { value: NO_DEPARTMENT, label: t("member.noDepartment") },
    ...(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name })),
    // The member's department shows even when the list cannot be read.
    ...(member.department && !departments.data?.items.some((d) => d.id === member.department?.id)
      ? [{ value: member.department.id, label: member.department.name }]
      : []),
  ];

  return (
    <Stack gap="sm" component="section" aria-labelledby="details-heading">
      <Title order={2} id="details-heading">
        {t("member.details")}
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(false);
          update.mutate(change, {
            onSuccess: () => {
              setEdits({});
              setSaved(true);
            },
          });
        }}
      >
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t("member.jobTitle")}
              maxLength={200}
              value={title}
              onChange={(event) => edit({ title: event.currentTarget.value })}
            />
            <TextInput
              label={t("member.employeeId")}
              maxLength={100}
              value={employeeId}
              onChange={(event) => edit({ employeeId: event.currentTarget.value })}
            />
            <Select
              label={t("members.department")}
              data={departmentOptions}
              value={departmentId}
              allowDeselect={false}
              onChange={(value) => edit({ departmentId: value ?? NO_DEPARTMENT })}
            />
            <Select
              label={t("members.status")}
              description={t("member.statusHint")}
              data={(["active", "suspended"] as const).map((s) => ({
                value: s,
                label: t(`status.${s}`),
              }))}
              value={status}
              allowDeselect={false}
              onChange={(value) => value && edit({ status: value as MemberStatus })}
            />
          </SimpleGrid>
          {update.error && <ApiErrorAlert error={update.error} />}
          <Group justify="space-between" wrap="wrap">
            <Text size="sm" role="status" aria-live="polite">
              {saved ? t("member.saved") : ""}
            </Text>
            <Button type="submit" disabled={!changed} loading={update.isPending}>
              {t("member.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
