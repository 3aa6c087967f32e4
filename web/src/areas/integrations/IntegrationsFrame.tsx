import { Anchor, Group, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation } from "react-router";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { usePageTitle } from "../../ui/usePageTitle";

export const PERMISSION = "integrations:manage";

const SECTIONS = [
  { to: "/integrations", label: "tabs.list" },
  { to: "/integrations/learning", label: "tabs.learning" },
] as const;

/**
 * The frame of the organization-wide integration pages: the h1, the choice of organization
 * (among those where the person manages integrations), links to the sibling pages, and the
 * content for the chosen organization (remounted when it changes).
 */
export function IntegrationsFrame({
  title,
  action,
  children,
}: {
  title: string;
  action?: (orgId: string) => ReactNode;
  children: (orgId: string) => ReactNode;
}) {
  const { t } = useTranslation("integrations");
  usePageTitle(title);
  const choice = useChosenOrganization(PERMISSION);
  const { chosen } = choice;
  const { pathname } = useLocation();
  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={1}>{title}</Title>
        {chosen && action?.(chosen.organization.id)}
      </Group>
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
          <div key={chosen.organization.id}>{children(chosen.organization.id)}</div>
        </>
      )}
    </Stack>
  );
}
