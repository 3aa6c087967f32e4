import { Anchor, Button, Group, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import type { MemberStatus } from "../../api/people";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { holdsKey, useOrgPermission, useOrgWidePermission } from "../../app/permissions";
import { FilterRow } from "../../ui/FilterRow";
import { FilterSelect } from "../../ui/FilterSelect";
import { SearchFilter } from "../../ui/SearchFilter";
import { usePageParams } from "../../ui/usePageParams";
import { usePageTitle } from "../../ui/usePageTitle";
import { CsvInviteDialog } from "./CsvInviteDialog";
import { InviteDialog } from "./InviteDialog";
import { InvitesSection } from "./InvitesSection";
import { MembersTable } from "./MembersTable";

const STATUSES: readonly MemberStatus[] = ["active", "suspended"];

/**
 * An organization's people (`/people`): its members as the person may see them (the API
 * narrows the list to a department, a team or assigned learners), searchable and filtered by
 * status, and the invitations waiting for an answer. The URL keeps the organization (`org`),
 * the search (`q`), the status and the page.
 */
export function PeoplePage() {
  const { t } = useTranslation("people");
  usePageTitle(t("title"));
  const choice = useChosenOrganization("members:read");
  const { chosen } = choice;
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{t("title")}</Title>
      {!chosen ? (
        <Text>{t("noOrganization")}</Text>
      ) : (
        <>
          <OrganizationSelect choice={choice} />
          <Text c="dimmed">{t("intro", { organization: chosen.organization.name })}</Text>
          <Group gap="lg">
            {holdsKey(chosen.permissions, "departments:read") && (
              <Anchor component={Link} to={`/people/structure?org=${chosen.organization.id}`}>
                {t("structure.link")}
              </Anchor>
            )}
            {holdsKey(chosen.permissions, "roles:read") && (
              <Anchor component={Link} to={`/people/roles?org=${chosen.organization.id}`}>
                {t("roles.link")}
              </Anchor>
            )}
          </Group>
          <OrganizationPeople key={chosen.organization.id} orgId={chosen.organization.id} />
        </>
      )}
    </Stack>
  );
}

function OrganizationPeople({ orgId }: { orgId: string }) {
  const { t } = useTranslation("people");
  const may = useOrgPermission(orgId);
  // The invitation dialogs ask for no department: they need the right across the organization.
  const mayWide = useOrgWidePermission(orgId);
  const [params] = useSearchParams();
  const [inviting, setInviting] = useState<"one" | "csv" | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const status = STATUSES.find((s) => s === params.get("status")) ?? null;
  const page = Math.max(1, Number(params.get("page")) || 1);

  // The search box writes to the URL once typing pauses; the URL stays the source of truth.

  const setParam = usePageParams().set;

  return (
    <Stack gap="lg">
      <Stack gap="sm" component="section" aria-labelledby="members-heading">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Title order={2} id="members-heading">
            {t("members.heading")}
          </Title>
          {mayWide("invites:manage") && (
            <Group gap="sm">
              <Button
                onClick={() => {
                  setSent(null);
                  setInviting("one");
                }}
              >
                {t("invite.open")}
              </Button>
              <Button variant="default" onClick={() => setInviting("csv")}>
                {t("csv.open")}
              </Button>
            </Group>
          )}
        </Group>
        <Text size="sm" role="status" aria-live="polite">
          {sent ? t("invite.sent", { email: sent }) : ""}
        </Text>
        <FilterRow>
          <SearchFilter
            label={t("members.search")}
            description={t("members.searchHint")}
            w={{ base: "100%", xs: 320 }}
          />
          <FilterSelect
            label={t("members.status")}
            any={t("members.anyStatus")}
            options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            value={status}
            onChange={(value) => setParam("status", value)}
            w={{ base: "100%", xs: 200 }}
          />
        </FilterRow>
        <MembersTable
          orgId={orgId}
          filters={{ page, search: params.get("q") ?? "", status }}
          onPage={(next) => setParam("page", String(next))}
        />
      </Stack>
      {may("invites:read") && <InvitesSection orgId={orgId} manage={may("invites:manage")} />}
      {inviting === "one" && (
        <InviteDialog
          orgId={orgId}
          onClose={() => setInviting(null)}
          onSent={(email) => {
            setInviting(null);
            setSent(email);
          }}
        />
      )}
      {inviting === "csv" && <CsvInviteDialog orgId={orgId} onClose={() => setInviting(null)} />}
    </Stack>
  );
}
