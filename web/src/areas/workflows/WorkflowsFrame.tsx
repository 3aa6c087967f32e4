import { Anchor, Group, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation } from "react-router";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { usePageTitle } from "../../ui/usePageTitle";

/** The workflow managers' list pages. */
const SECTIONS = [
  { to: "/workflows", label: "tabs.workflows" },
  { to: "/workflows/executions", label: "tabs.executions" },
] as const;

/**
 * The frame of a workflows list page: its h1, the choice of organization (among those where
 * the person manages workflows), links to the sibling pages, and the page's content for the
 * chosen organization (remounted when it changes).
 */
export function WorkflowsFrame({
  title,
  children,
}: {
  title: string;
  children: (orgId: string) => ReactNode;
}) {
  const { t } = useTranslation("workflows");
  usePageTitle(title);
  const choice = useChosenOrganization("workflows:manage");
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
          <div key={chosen.organization.id}>{children(chosen.organization.id)}</div>
        </>
      )}
    </Stack>
  );
}
