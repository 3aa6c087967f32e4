import { Anchor, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation } from "react-router";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { holdsKey } from "../../app/permissions";
import { usePageTitle } from "../../ui/usePageTitle";

/** The organization's administration pages in four groups, each behind the permission that reads it. */
const GROUPS = [
  {
    label: "groups.organization",
    sections: [
      { to: "/organization/settings", label: "tabs.settings", permission: "organizations:read" },
      { to: "/organization/purchases", label: "tabs.purchases", permission: "payments:read" },
      { to: "/organization/api-keys", label: "tabs.apiKeys", permission: "api-keys:read" },
    ],
  },
  {
    label: "groups.security",
    sections: [
      { to: "/organization/security", label: "tabs.security", permission: "organizations:update" },
      { to: "/organization/audit", label: "tabs.audit", permission: "audit-logs:read" },
    ],
  },
  {
    label: "groups.privacy",
    sections: [
      {
        to: "/organization/privacy-requests",
        label: "tabs.privacyRequests",
        permission: "privacy:manage",
      },
      { to: "/organization/access-logs", label: "tabs.accessLogs", permission: "privacy:manage" },
      { to: "/organization/retention", label: "tabs.retention", permission: "privacy:manage" },
    ],
  },
  {
    label: "groups.messages",
    sections: [
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
      { to: "/organization/webhooks", label: "tabs.webhooks", permission: "integrations:manage" },
    ],
  },
] as const;

type Permission = (typeof GROUPS)[number]["sections"][number]["permission"];

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
  permission: Permission;
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
          <SimpleGrid component="nav" aria-label={t("tabs.label")} cols={{ base: 1, xs: 2, md: 4 }}>
            {GROUPS.map((group) => {
              const sections = group.sections.filter((s) =>
                holdsKey(chosen.permissions, s.permission),
              );
              if (!sections.length) return null;
              const id = `organization-pages-${group.label.replace(".", "-")}`;
              return (
                <Stack key={group.label} gap={4}>
                  <Text id={id} size="xs" fw={700} tt="uppercase" c="dimmed">
                    {t(group.label)}
                  </Text>
                  <Group
                    component="ul"
                    aria-labelledby={id}
                    gap="md"
                    style={{ listStyle: "none", padding: 0, margin: 0 }}
                  >
                    {sections.map((s) => (
                      <li key={s.to}>
                        <Anchor
                          component={NavLink}
                          to={`${s.to}?org=${chosen.organization.id}`}
                          fw={500}
                          underline={pathname === s.to ? "always" : "hover"}
                        >
                          {t(s.label)}
                        </Anchor>
                      </li>
                    ))}
                  </Group>
                </Stack>
              );
            })}
          </SimpleGrid>
          <div key={chosen.organization.id}>{children(chosen.organization.id)}</div>
        </>
      )}
    </Stack>
  );
}
