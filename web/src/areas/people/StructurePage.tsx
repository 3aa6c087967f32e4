import { Anchor, Select, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useOrganizationsWith, useOrgPermission } from "../../app/permissions";
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
  const organizations = useOrganizationsWith("departments:read");
  const [params, setParams] = useSearchParams();
  const chosen =
    organizations.find((m) => m.organization.id === params.get("org")) ?? organizations[0];
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
          {organizations.length > 1 && (
            <Select
              label={t("organization")}
              data={organizations.map((m) => ({
                value: m.organization.id,
                label: m.organization.name,
              }))}
              value={chosen.organization.id}
              allowDeselect={false}
              onChange={(org) => org && setParams({ org })}
              maw={360}
            />
          )}
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
