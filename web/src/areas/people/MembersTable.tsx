import { Anchor, Badge, Skeleton, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type MemberFilters, useMembers } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { LabelledPagination } from "../../ui/LabelledPagination";
import { PageState } from "../../ui/PageState";
import { useRoleNames } from "./roles";
import { RESTRICTED_COLOR, STATUS_COLOR } from "./status";

/** One page of members, with how many match and the pages. */
export function MembersTable({
  orgId,
  filters,
  onPage,
}: {
  orgId: string;
  filters: MemberFilters;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation("people");
  const format = useFormat();
  const me = useSignedInMe();
  const members = useMembers(me.user.id, orgId, filters);
  const { nameOf } = useRoleNames(orgId);
  return (
    <PageState
      query={members}
      pending={<Skeleton height={320} radius="md" />}
      isEmpty={(data) => data.items.length === 0}
      empty={<EmptyState title={t("members.emptyTitle")} reason={t("members.emptyReason")} />}
    >
      {(data) => {
        const pagination = data.meta?.pagination;
        const pages = pagination?.totalPages ?? 1;
        return (
          <Stack gap="sm" style={{ opacity: members.isPlaceholderData ? 0.6 : 1 }}>
            <Text size="sm" c="dimmed" role="status" aria-live="polite">
              {t("members.count", { count: pagination?.total ?? data.items.length })}
            </Text>
            <Table.ScrollContainer minWidth={0}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("members.name")}</Table.Th>
                    <Table.Th>{t("members.roles")}</Table.Th>
                    <Table.Th visibleFrom="sm">{t("members.department")}</Table.Th>
                    <Table.Th>{t("members.status")}</Table.Th>
                    <Table.Th visibleFrom="md">{t("members.lastSignIn")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((member) => (
                    <Table.Tr key={member.userId}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        <Anchor
                          component={Link}
                          to={`/people/${member.userId}?org=${orgId}`}
                          fw={500}
                        >
                          {member.fullName}
                        </Anchor>
                        <Text size="sm" c="dimmed">
                          {member.email}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        {member.roles.map(nameOf).join(", ")}
                      </Table.Td>
                      <Table.Td visibleFrom="sm">
                        {member.department?.name ?? t("members.noDepartment")}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLOR[member.status]} variant="filled">
                          {t(`status.${member.status}`)}
                        </Badge>
                        {member.restricted && (
                          <Badge color={RESTRICTED_COLOR} variant="filled" ml={4}>
                            {t("status.restricted")}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td visibleFrom="md">
                        {member.lastLoginAt
                          ? format.dateTime(member.lastLoginAt)
                          : t("members.never")}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LabelledPagination total={pages} value={filters.page} onChange={onPage} />
          </Stack>
        );
      }}
    </PageState>
  );
}
