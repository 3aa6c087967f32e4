import { Anchor, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { useOrgPermission } from "../../app/permissions";
import { usePageTitle } from "../../ui/usePageTitle";
import { DepartmentsSection } from "./DepartmentsSection";
import { TeamsSection } from "./TeamsSection";

/**
 * An organization's structure (`/people/structure?org=…`): its departments and teams, which
 * scope roles, reports and assignments. Reached from the People page; people with
 * `departments:manage` or `teams:manage` create, rename and delete them.
 */
export function StructurePage() {
  const { t } = useTranslation("people");
  usePageTitle(t("structure.title"));
  const choice = useChosenOrganization("departments:read");
  const { chosen } = choice;
  return (
    <Stack gap="md" maw={960}>
      <Anchor
        component={Link}
        to={`/people${chosen ? `?org=${chosen.organization.id}` : ""}`}
        w="fit-content"
      >
        {t("member.back")}
      </Anchor>
      <Title order={1}>{t("structure.title")}</Title>
      {!chosen ? (
        <Text>{t("structure.noOrganization")}</Text>
      ) : (
        <>
          <OrganizationSelect choice={choice} />
          <Structure key={chosen.organization.id} orgId={chosen.organization.id} />
        </>
      )}
    </Stack>
  );
}

function Structure({ orgId }: { orgId: string }) {
  const may = useOrgPermission(orgId);
  return (
    <Stack gap="xl">
      <DepartmentsSection orgId={orgId} manage={may("departments:manage")} />
      {may("teams:read") && <TeamsSection orgId={orgId} manage={may("teams:manage")} />}
    </Stack>
  );
}
