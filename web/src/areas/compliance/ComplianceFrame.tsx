import { Anchor, Group, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation } from "react-router";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { holdsKey } from "../../app/permissions";
import { usePageTitle } from "../../ui/usePageTitle";

/** The compliance pages, each for whoever reads the organization's compliance. */
const SECTIONS = [
  { to: "/compliance", label: "tabs.dashboard" },
  { to: "/compliance/requirements", label: "tabs.requirements" },
  { to: "/compliance/exemptions", label: "tabs.exemptions" },
  { to: "/compliance/evidence", label: "tabs.evidence" },
] as const;

/**
 * The frame of a compliance page: its h1, the choice of organization (among those where
 * the person reads compliance), links to the sibling pages, and the page's content for the
 * chosen organization (remounted when it changes), told whether the person may change it.
 */
export function ComplianceFrame({
  title,
  children,
}: {
  title: string;
  children: (orgId: string, canManage: boolean) => ReactNode;
}) {
  const { t } = useTranslation("compliance");
  usePageTitle(title);
  const choice = useChosenOrganization("compliance:read");
  const { chosen } = choice;
  const { pathname } = useLocation();
  return (
    <Stack gap="md" maw={1200}>
      <Title order={1}>{title}</Title>
      {!chosen ? (
        <Text>{t("noOrganization")}</Text>
      ) : (
        <>
          <OrganizationSelect choice={choice} />
          <Group component="nav" aria-label={t("tabs.label")} gap="lg">
            {SECTIONS.map((s) => (
              <Anchor
                key={s.to}
                component={NavLink}
                to={`${s.to}?org=${chosen.organization.id}`}
                end
                fw={500}
                underline={pathname === s.to ? "always" : "hover"}
              >
                {t(s.label)}
              </Anchor>
            ))}
          </Group>
          <div key={chosen.organization.id}>
            {children(chosen.organization.id, holdsKey(chosen.permissions, "compliance:manage"))}
          </div>
        </>
      )}
    </Stack>
  );
}
