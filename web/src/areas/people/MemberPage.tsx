import { Anchor, Badge, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useMember } from "../../api/people";
import { useChosenOrganization } from "../../app/OrganizationChoice";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { MemberDetailsForm } from "./MemberDetailsForm";
import { MemberRoles } from "./MemberRoles";
import { MemberTeams } from "./MemberTeams";
import { RESTRICTED_COLOR, STATUS_COLOR } from "./status";

/**
 * One member of an organization (`/people/:memberId?org=…`): who they are, their details
 * (department, title, employee id, status), which people with `members:manage` change, and
 * their teams, which people with `teams:manage` change, and their roles, which people with
 * `roles:assign` give and take away.
 */
export function MemberPage() {
  const { t } = useTranslation("people");
  const { memberId = "" } = useParams();
  const { chosen } = useChosenOrganization("members:read");
  const orgId = chosen?.organization.id ?? "";
  const back = `/people${orgId ? `?org=${orgId}` : ""}`;
  return (
    <Stack gap="md" maw={960}>
      <Anchor component={Link} to={back} w="fit-content">
        {t("member.back")}
      </Anchor>
      {orgId ? (
        <Member orgId={orgId} memberId={memberId} />
      ) : (
        <>
          <Title order={1}>{t("title")}</Title>
          <Text>{t("noOrganization")}</Text>
        </>
      )}
    </Stack>
  );
}

function Member({ orgId, memberId }: { orgId: string; memberId: string }) {
  const { t } = useTranslation("people");
  const format = useFormat();
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const member = useMember(me.user.id, orgId, memberId);
  usePageTitle(member.data?.fullName ?? t("member.title"));
  return (
    <PageState
      query={member}
      pending={
        <Stack>
          <Title order={1}>{t("member.title")}</Title>
          <Skeleton height={200} radius="md" />
        </Stack>
      }
    >
      {(data) => (
        <Stack gap="lg">
          <Stack gap={4}>
            <Title order={1} style={{ overflowWrap: "anywhere" }}>
              {data.fullName}
            </Title>
            <Group gap="sm" wrap="wrap">
              <Text style={{ overflowWrap: "anywhere" }}>{data.email}</Text>
              <Badge color={STATUS_COLOR[data.status]} variant="filled">
                {t(`status.${data.status}`)}
              </Badge>
              {data.restricted && (
                <Badge color={RESTRICTED_COLOR} variant="filled">
                  {t("status.restricted")}
                </Badge>
              )}
            </Group>
            {data.restricted && (
              <Text size="sm" c="dimmed">
                {t("status.restrictedHint")}
              </Text>
            )}
            <Text size="sm" c="dimmed">
              {t("member.joined", { date: format.date(data.joinedAt) })}
              {" · "}
              {data.lastLoginAt
                ? t("member.lastSignIn", { date: format.dateTime(data.lastLoginAt) })
                : t("member.neverSignedIn")}
            </Text>
          </Stack>
          <MemberDetailsForm orgId={orgId} member={data} editable={may("members:manage")} />
          {may("teams:read") && (
            <MemberTeams orgId={orgId} member={data} manage={may("teams:manage")} />
          )}
          {may("roles:read") && (
            <MemberRoles orgId={orgId} member={data} assign={may("roles:assign")} />
          )}
        </Stack>
      )}
    </PageState>
  );
}
