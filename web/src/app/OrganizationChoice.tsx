import { Anchor, Group, Select, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation, useSearchParams } from "react-router";
import { usePageTitle } from "../ui/usePageTitle";
import { useOrganizationsWith } from "./permissions";

/**
 * The organization a staff page works in: among the person's organizations where they hold
 * `key` (at one of `scopes` when given), the one the URL names (`org`), else the first. `choose` puts another in the URL
 * (dropping the page's other parameters, which belonged to the previous one).
 */
export function useChosenOrganization(key: string, scopes?: readonly string[]) {
  const organizations = useOrganizationsWith(key, scopes);
  const [params, setParams] = useSearchParams();
  const chosen =
    organizations.find((m) => m.organization.id === params.get("org")) ?? organizations[0];
  return { organizations, chosen, choose: (org: string) => setParams({ org }) };
}

/** Picks among several organizations; renders nothing for someone in one. */
export function OrganizationSelect({
  choice,
}: {
  choice: ReturnType<typeof useChosenOrganization>;
}) {
  const { t } = useTranslation();
  const { organizations, chosen, choose } = choice;
  if (organizations.length < 2 || !chosen) return null;
  return (
    <Select
      label={t("organization")}
      data={organizations.map((m) => ({ value: m.organization.id, label: m.organization.name }))}
      value={chosen.organization.id}
      allowDeselect={false}
      onChange={(org) => org && choose(org)}
      maw={360}
    />
  );
}

type Chosen = NonNullable<ReturnType<typeof useChosenOrganization>["chosen"]>;

/**
 * The frame of an organization-wide area's pages (compliance, integrations, workflows): the
 * h1 (with an optional action beside it), the choice of organization among those where the
 * person holds `permission`, links to the area's pages, and the page's content for the chosen
 * organization (remounted when it changes). `namespace` holds the area's `noOrganization`,
 * `tabs.label` and section labels.
 */
export function OrganizationAreaFrame({
  title,
  permission,
  namespace,
  sections,
  maw = 1200,
  action,
  children,
}: {
  title: string;
  permission: string;
  namespace: string;
  sections: readonly { to: string; label: string }[];
  maw?: number;
  action?: (orgId: string) => ReactNode;
  children: (orgId: string, chosen: Chosen) => ReactNode;
}) {
  const { t } = useTranslation(namespace);
  usePageTitle(title);
  const choice = useChosenOrganization(permission);
  const { chosen } = choice;
  const { pathname } = useLocation();
  return (
    <Stack gap="md" maw={maw}>
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
            {sections.map((s) => (
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
          <div key={chosen.organization.id}>{children(chosen.organization.id, chosen)}</div>
        </>
      )}
    </Stack>
  );
}
