import { Button, Group, Select, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Member, useTeamMembership, useTeams } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { EmptyState } from "../../ui/EmptyState";

type TeamRole = "member" | "lead";

/**
 * The teams a member is in, as member or lead. With `teams:manage`, they are put in a team
 * (among those the person may manage) or taken out; a manager leads the teams whose people
 * they see.
 */
export function MemberTeams({
  orgId,
  member,
  manage,
}: {
  orgId: string;
  member: Member;
  manage: boolean;
}) {
  const { t } = useTranslation("people");
  const me = useSignedInMe();
  const teams = useTeams(me.user.id, orgId);
  const change = useTeamMembership(me.user.id, orgId, member.userId);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [role, setRole] = useState<TeamRole>("member");
  const [done, setDone] = useState<string | null>(null);
  const joined = new Set(member.teams.map((team) => team.id));
  const open = (teams.data?.items ?? []).filter((team) => !joined.has(team.id));
  const roleLabel = (r: TeamRole) => t(`member.teamRole.${r}`);

  return (
    <Stack gap="sm" component="section" aria-labelledby="teams-heading">
      <Title order={2} id="teams-heading">
        {t("member.teams")}
      </Title>
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      {change.error && <ApiErrorAlert error={change.error} />}
      {member.teams.length === 0 ? (
        <EmptyState
          title={t("member.noTeamsTitle")}
          reason={t("member.noTeamsReason")}
          headingLevel={3}
        />
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("member.team")}</Table.Th>
                <Table.Th>{t("member.teamRoleLabel")}</Table.Th>
                {manage && <Table.Th>{t("invites.actions")}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {member.teams.map((team) => (
                <Table.Tr key={team.id}>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{team.name}</Table.Td>
                  <Table.Td>{roleLabel(team.role)}</Table.Td>
                  {manage && (
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="outline"
                        color="red.9"
                        disabled={change.isPending}
                        aria-label={t("member.leaveTeam", { team: team.name })}
                        onClick={() => {
                          setDone(null);
                          change.mutate(
                            { kind: "remove", teamId: team.id },
                            { onSuccess: () => setDone(t("member.leftTeam", { team: team.name })) },
                          );
                        }}
                      >
                        {t("member.takeOut")}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {manage && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const team = open.find((x) => x.id === teamId);
            if (!team) return;
            setDone(null);
            change.mutate(
              { kind: "add", teamId: team.id, role },
              {
                onSuccess: () => {
                  setDone(t("member.joinedTeam", { team: team.name, role: roleLabel(role) }));
                  setTeamId(null);
                },
              },
            );
          }}
        >
          <Group align="flex-end" wrap="wrap" gap="sm">
            <Select
              label={t("member.addToTeam")}
              placeholder={t("member.chooseTeam")}
              data={open.map((team) => ({ value: team.id, label: team.name }))}
              value={teamId}
              onChange={setTeamId}
              nothingFoundMessage={t("member.noOtherTeam")}
              w={{ base: "100%", xs: 240 }}
            />
            <Select
              label={t("member.teamRoleLabel")}
              data={(["member", "lead"] as const).map((r) => ({ value: r, label: roleLabel(r) }))}
              value={role}
              allowDeselect={false}
              onChange={(value) => value && setRole(value as TeamRole)}
              w={{ base: "100%", xs: 180 }}
            />
            <Button type="submit" disabled={!teamId} loading={change.isPending}>
              {t("member.join")}
            </Button>
          </Group>
        </form>
      )}
    </Stack>
  );
}
