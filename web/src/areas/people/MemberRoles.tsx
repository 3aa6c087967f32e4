import { Button, Group, Select, Table } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type Member,
  useAssignmentAction,
  useDepartments,
  useMemberAssignments,
} from "../../api/people";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ListSection } from "../../ui/ListSection";
import { useRoleNames } from "./roles";

const WHOLE_ORGANIZATION = "";

/**
 * The roles a member holds in the organization, each with its reach (the whole organization
 * or one department) and expiry. With `roles:assign`, roles are given (optionally for one
 * department) and taken away; the server refuses a role the giver does not hold and taking
 * the last administrator's role, and the reason shows here.
 */
export function MemberRoles({
  orgId,
  member,
  assign,
}: {
  orgId: string;
  member: Member;
  assign: boolean;
}) {
  const { t } = useTranslation("people");
  const format = useFormat();
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const assignments = useMemberAssignments(me.user.id, orgId, member.userId);
  const departments = useDepartments(me.user.id, orgId, may("departments:read"));
  const action = useAssignmentAction(me.user.id, orgId, member.userId);
  const { roles } = useRoleNames(orgId);
  const [roleKey, setRoleKey] = useState<string | null>(null);
  const [departmentId, setDepartmentId] = useState(WHOLE_ORGANIZATION);
  const [done, setDone] = useState<string | null>(null);
  const departmentName = (id: string | null) =>
    id
      ? (departments.data?.items.find((d) => d.id === id)?.name ?? t("member.oneDepartment"))
      : t("member.wholeOrganization");

  return (
    <ListSection
      id="roles-heading"
      title={t("member.roles")}
      done={done}
      error={action.error}
      query={assignments}
      empty={{ title: t("member.noRolesTitle"), reason: t("member.noRolesReason") }}
      footer={
        assign && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (!roleKey) return;
              const name = roles.find((r) => r.key === roleKey)?.name ?? roleKey;
              setDone(null);
              action.mutate(
                { kind: "give", roleKey, departmentId: departmentId || null },
                {
                  onSuccess: () => {
                    setDone(t("member.given", { role: name }));
                    setRoleKey(null);
                  },
                },
              );
            }}
          >
            <Group align="flex-end" wrap="wrap" gap="sm">
              <Select
                label={t("member.giveRole")}
                placeholder={t("member.chooseRole")}
                data={roles.map((r) => ({ value: r.key, label: r.name }))}
                value={roleKey}
                onChange={setRoleKey}
                w={{ base: "100%", xs: 240 }}
              />
              {may("departments:read") && (
                <Select
                  label={t("member.reach")}
                  data={[
                    { value: WHOLE_ORGANIZATION, label: t("member.wholeOrganization") },
                    ...(departments.data?.items ?? []).map((d) => ({
                      value: d.id,
                      label: d.name,
                    })),
                  ]}
                  value={departmentId}
                  allowDeselect={false}
                  onChange={(value) => setDepartmentId(value ?? WHOLE_ORGANIZATION)}
                  w={{ base: "100%", xs: 240 }}
                />
              )}
              <Button type="submit" disabled={!roleKey} loading={action.isPending}>
                {t("member.give")}
              </Button>
            </Group>
          </form>
        )
      }
    >
      {(data) => (
        <Table.ScrollContainer minWidth={0}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("member.role")}</Table.Th>
                <Table.Th>{t("member.reach")}</Table.Th>
                <Table.Th visibleFrom="sm">{t("member.expires")}</Table.Th>
                {assign && <Table.Th>{t("invites.actions")}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{a.role.name}</Table.Td>
                  <Table.Td>{departmentName(a.departmentId)}</Table.Td>
                  <Table.Td visibleFrom="sm">
                    {a.expiresAt ? format.date(a.expiresAt) : t("member.never")}
                  </Table.Td>
                  {assign && (
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="outline"
                        color="red.9"
                        disabled={action.isPending}
                        aria-label={t("member.takeRole", { role: a.role.name })}
                        onClick={() => {
                          setDone(null);
                          action.mutate(
                            { kind: "take", assignmentId: a.id },
                            {
                              onSuccess: () => setDone(t("member.taken", { role: a.role.name })),
                            },
                          );
                        }}
                      >
                        {t("member.take")}
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
