import { Button, Group, Select, Stack, Table, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Team, useDepartments, useStructureChange, useTeams } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ListSection } from "../../ui/ListSection";

const NO_DEPARTMENT = "";

/** The teams, each with its department and size; with `teams:manage`, add and delete them. */
export function TeamsSection({ orgId, manage }: { orgId: string; manage: boolean }) {
  const { t } = useTranslation("people");
  const format = useFormat();
  const me = useSignedInMe();
  const teams = useTeams(me.user.id, orgId);
  const departments = useDepartments(me.user.id, orgId, true);
  const change = useStructureChange(me.user.id, orgId);
  const [done, setDone] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const [name, setName] = useState("");
  const [departmentId, setDepartmentId] = useState(NO_DEPARTMENT);
  const all = departments.data?.items ?? [];
  const departmentOf = (id: string | null) =>
    (id && all.find((d) => d.id === id)?.name) || t("member.noDepartment");

  return (
    <ListSection
      id="teams-heading"
      title={t("structure.teams")}
      done={done}
      error={change.error}
      query={teams}
      empty={{ title: t("structure.noTeamsTitle"), reason: t("structure.noTeamsReason") }}
      footer={
        <>
          {manage && (
            <form
              aria-labelledby="new-team-heading"
              onSubmit={(event) => {
                event.preventDefault();
                const created = name.trim();
                setDone(null);
                change.mutate(
                  { kind: "create-team", name: created, departmentId: departmentId || null },
                  {
                    onSuccess: () => {
                      setDone(t("structure.created", { name: created }));
                      setName("");
                    },
                  },
                );
              }}
            >
              <Stack gap="xs">
                <Title order={3} size="h5" id="new-team-heading">
                  {t("structure.newTeam")}
                </Title>
                <Group align="flex-end" wrap="wrap" gap="sm">
                  <TextInput
                    label={t("structure.teamName")}
                    required
                    maxLength={200}
                    value={name}
                    onChange={(event) => setName(event.currentTarget.value)}
                    w={{ base: "100%", xs: 220 }}
                  />
                  <Select
                    label={t("members.department")}
                    data={[
                      { value: NO_DEPARTMENT, label: t("member.noDepartment") },
                      ...all.map((d) => ({ value: d.id, label: d.name })),
                    ]}
                    value={departmentId}
                    allowDeselect={false}
                    onChange={(value) => setDepartmentId(value ?? NO_DEPARTMENT)}
                    w={{ base: "100%", xs: 220 }}
                  />
                  <Button type="submit" disabled={!name.trim()} loading={change.isPending}>
                    {t("structure.addTeam")}
                  </Button>
                </Group>
              </Stack>
            </form>
          )}
          {deleting && (
            <ConfirmDialog
              title={t("structure.deleteTitle", { name: deleting.name })}
              text={t("structure.deleteTeamText", {
                name: deleting.name,
                count: deleting.memberCount,
              })}
              confirm={t("structure.delete")}
              busy={change.isPending}
              onClose={() => setDeleting(null)}
              onConfirm={() => {
                setDone(null);
                change.mutate(
                  { kind: "delete-team", teamId: deleting.id },
                  {
                    onSuccess: () => setDone(t("structure.deleted", { name: deleting.name })),
                    onSettled: () => setDeleting(null),
                  },
                );
              }}
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
                <Table.Th visibleFrom="sm">{t("members.department")}</Table.Th>
                <Table.Th>{t("structure.members")}</Table.Th>
                {manage && <Table.Th>{t("invites.actions")}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((team) => (
                <Table.Tr key={team.id}>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{team.name}</Table.Td>
                  <Table.Td visibleFrom="sm">{departmentOf(team.departmentId)}</Table.Td>
                  <Table.Td>{format.number(team.memberCount)}</Table.Td>
                  {manage && (
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="outline"
                        color="red.9"
                        disabled={change.isPending}
                        aria-label={t("structure.deleteNamed", { name: team.name })}
                        onClick={() => {
                          change.reset();
                          setDeleting(team);
                        }}
                      >
                        {t("structure.delete")}
                      </Button>
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
