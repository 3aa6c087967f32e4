import { Anchor, Group, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation } from "react-router";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { holdsKey } from "../../app/permissions";
import { usePageTitle } from "../../ui/usePageTitle";

/** The organization's administration pages, each behind the permission that reads it. */
const SECTIONS = [
  { to: "/organization/settings", label: "tabs.settings", permission: "organizations:read" },
  { to: "/organization/api-keys", label: "tabs.apiKeys", permission: "api-keys:read" },
  { to: "/organization/purchases", label: "tabs.purchases", permission: "payments:read" },
  { to: "/organization/audit", label: "tabs.audit", permission: "audit-logs:read" },
  { to: "/organization/webhooks", label: "tabs.webhooks", permission: "integrations:manage" },
  { to: "/organization/security", label: "tabs.security", permission: "organizations:update" },
  { to: "/organization/retention", label: "tabs.retention", permission: "privacy:manage" },
  {
    to: "/organization/privacy-requests",
    label: "tabs.privacyRequests",
    permission: "privacy:manage",
  },
  { to: "/organization/access-logs", label: "tabs.accessLogs", permission: "privacy:manage" },
  {
    to: "/organization/notifications",
    label: "tabs.notifications",
    permission: "organizations:update",
  },
  {
    to: "/organization/notification-log",
    label: "tabs.notificationLog",
    permission: "organizations:update",
  },
] as const;

/**
 * The frame of an organization administration page: its h1, the choice of organization
 * (among those where the person holds `permission`), links to the sibling pages the person
 * may open, and the page's content for the chosen organization (remounted when it changes).
 */
export function OrganizationFrame({
  title,
  permission,
  children,
}: {
  title: string;
  permission: (typeof SECTIONS)[number]["permission"];
  children: (orgId: string) => ReactNode;
}) {
  const { t } = useTranslation("organization");
  usePageTitle(title);
  const choice = useChosenOrganization(permission);
  const { chosen } = choice;
  const { pathname } = useLocation();
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{title}</Title>
      {!chosen ? (
        <Text>{t("noOrganization")}</Text>
      ) : (
        <>
          <OrganizationSelect choice={choice} />
          <Group component="nav" aria-label={t("tabs.label")} gap="lg">
            {SECTIONS.filter((s) => holdsKey(chosen.permissions, s.permission)).map((s) => (
              <Anchor
                key={s.to}
                component={NavLink}
                to={`${s.to}?org=${chosen.organization.id}`}
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
