import { Button, Group, Modal, Select, Stack, Table, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Department, useDepartments, useStructureChange } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ListSection } from "../../ui/ListSection";

const TOP_LEVEL = "";

/**
 * The departments: name, code, parent and how many members each has. With
 * `departments:manage`, a form adds one (optionally under another) and each row can be
 * renamed or deleted; the server refuses to delete a department that has sub-departments.
 */
export function DepartmentsSection({ orgId, manage }: { orgId: string; manage: boolean }) {
  const { t } = useTranslation("people");
  const format = useFormat();
  const me = useSignedInMe();
  const departments = useDepartments(me.user.id, orgId, true);
  const change = useStructureChange(me.user.id, orgId);
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState<Department | null>(null);
  const [deleting, setDeleting] = useState<Department | null>(null);
  const [name, setName] = useState("");
  const [code, setCode] = useState("");
  const [parentId, setParentId] = useState(TOP_LEVEL);
  const all = departments.data?.items ?? [];
  const nameOf = (id: string | null) => all.find((d) => d.id === id)?.name ?? "—";

  return (
    <ListSection
      id="departments-heading"
      title={t("structure.departments")}
      done={done}
      error={editing ? null : change.error}
      query={departments}
      empty={{
        title: t("structure.noDepartmentsTitle"),
        reason: t("structure.noDepartmentsReason"),
      }}
      footer={
        <>
          {manage && (
            <form
              aria-labelledby="new-department-heading"
              onSubmit={(event) => {
                event.preventDefault();
                const created = name.trim();
                setDone(null);
                change.mutate(
                  {
                    kind: "create-department",
                    name: created,
                    code: code.trim() || null,
                    parentId: parentId || null,
                  },
                  {
                    onSuccess: () => {
                      setDone(t("structure.created", { name: created }));
                      setName("");
                      setCode("");
                      setParentId(TOP_LEVEL);
                    },
                  },
                );
              }}
            >
              <Stack gap="xs">
                <Title order={3} size="h5" id="new-department-heading">
                  {t("structure.newDepartment")}
                </Title>
                <Group align="flex-end" wrap="wrap" gap="sm">
                  <TextInput
                    label={t("structure.name")}
                    required
                    maxLength={200}
                    value={name}
                    onChange={(event) => setName(event.currentTarget.value)}
                    w={{ base: "100%", xs: 220 }}
                  />
                  <TextInput
                    label={t("structure.code")}
                    maxLength={30}
                    value={code}
                    onChange={(event) => setCode(event.currentTarget.value)}
                    w={{ base: "100%", xs: 120 }}
                  />
                  <Select
                    label={t("structure.parent")}
                    data={[
                      { value: TOP_LEVEL, label: t("structure.topLevel") },
                      ...all.map((d) => ({ value: d.id, label: d.name })),
                    ]}
                    value={parentId}
                    allowDeselect={false}
                    onChange={(value) => setParentId(value ?? TOP_LEVEL)}
                    w={{ base: "100%", xs: 220 }}
                  />
                  <Button type="submit" disabled={!name.trim()} loading={change.isPending}>
                    {t("structure.addDepartment")}
                  </Button>
                </Group>
              </Stack>
            </form>
          )}
          {deleting && (
            <ConfirmDialog
              title={t("structure.deleteTitle", { name: deleting.name })}
              text={t("structure.deleteDepartmentText", {
                name: deleting.name,
                count: deleting.memberCount,
              })}
              confirm={t("structure.delete")}
              busy={change.isPending}
              onClose={() => setDeleting(null)}
              onConfirm={() => {
                setDone(null);
                change.mutate(
                  { kind: "delete-department", departmentId: deleting.id },
                  {
                    onSuccess: () => setDone(t("structure.deleted", { name: deleting.name })),
                    onSettled: () => setDeleting(null),
                  },
                );
              }}
            />
          )}
          {editing && (
            <RenameDialog
              department={editing}
              busy={change.isPending}
              error={change.error}
              onClose={() => setEditing(null)}
              onSave={(next) =>
                change.mutate(
                  { kind: "rename-department", departmentId: editing.id, ...next },
                  {
                    onSuccess: () => {
                      setDone(t("structure.renamed", { name: next.name }));
                      setEditing(null);
                    },
                  },
                )
              }
            />
          )}
        </>
      }
    >
      {(data) => (
        <Table.ScrollContainer minWidth={0}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("structure.name")}</Table.Th>
                <Table.Th visibleFrom="sm">{t("structure.code")}</Table.Th>
                <Table.Th visibleFrom="sm">{t("structure.parent")}</Table.Th>
                <Table.Th>{t("structure.members")}</Table.Th>
                {manage && <Table.Th>{t("invites.actions")}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{d.name}</Table.Td>
                  <Table.Td visibleFrom="sm">{d.code ?? "—"}</Table.Td>
                  <Table.Td visibleFrom="sm">{d.parentId ? nameOf(d.parentId) : "—"}</Table.Td>
                  <Table.Td>{format.number(d.memberCount)}</Table.Td>
                  {manage && (
                    <Table.Td>
                      <Group
                        gap="xs"
                        role="group"
                        aria-label={t("structure.actionsFor", { name: d.name })}
                      >
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => {
                            change.reset();
                            setEditing(d);
                          }}
                        >
                          {t("structure.rename")}
                        </Button>
                        <Button
                          size="xs"
                          variant="outline"
                          color="red.9"
                          disabled={change.isPending}
                          onClick={() => {
                            change.reset();
                            setDeleting(d);
                          }}
                        >
                          {t("structure.delete")}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </ListSection>
  );
}

function RenameDialog({
  department,
  busy,
  error,
  onClose,
  onSave,
}: {
  department: Department;
  busy: boolean;
  error: Error | null;
  onClose: () => void;
  onSave: (next: { name: string; code: string | null }) => void;
}) {
  const { t } = useTranslation("people");
  const [name, setName] = useState(department.name);
  const [code, setCode] = useState(department.code ?? "");
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={t("structure.renameTitle", { name: department.name })}
      closeButtonProps={{ "aria-label": t("invite.cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSave({ name: name.trim(), code: code.trim() || null });
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t("structure.name")}
            required
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            label={t("structure.code")}
            maxLength={30}
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
          />
          {error && <ApiErrorAlert error={error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t("invite.cancel")}
            </Button>
            <Button type="submit" disabled={!name.trim()} loading={busy}>
              {t("member.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
