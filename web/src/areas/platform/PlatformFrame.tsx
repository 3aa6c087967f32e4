import { Anchor, Group, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation } from "react-router";
import { holdsKey } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { usePageTitle } from "../../ui/usePageTitle";

/** The platform administrator's pages, each behind the platform-wide permission it needs. */
const SECTIONS = [
  {
    to: "/platform/organizations",
    label: "tabs.organizations",
    permission: "organizations:create",
  },
  { to: "/platform/users", label: "tabs.users", permission: "users:read" },
  { to: "/platform/lookups", label: "tabs.lookups", permission: "lookup-values:manage" },
  { to: "/platform/jobs", label: "tabs.jobs", permission: "jobs:read" },
  { to: "/platform/mail", label: "tabs.mail", permission: "mail-outbox:read" },
  { to: "/platform/health", label: "tabs.health", permission: "jobs:read" },
  {
    to: "/platform/notification-templates",
    label: "tabs.notificationTemplates",
    permission: "organizations:update",
  },
] as const;

/** Platform-wide scope: everyone holds some of these keys for themselves (`users:read:own`). */
const PLATFORM = ["all"] as const;

/**
 * The frame of a platform administration page: its h1, links to the sibling pages, and the
 * page when the person holds `permission` platform-wide (their organizations' permissions
 * do not count here).
 */
export function PlatformFrame({
  title,
  permission,
  children,
}: {
  title: string;
  permission: (typeof SECTIONS)[number]["permission"];
  children: ReactNode;
}) {
  const { t } = useTranslation("platform");
  usePageTitle(title);
  const me = useSignedInMe();
  const { pathname } = useLocation();
  const held = me.platformPermissions;
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{title}</Title>
      {!holdsKey(held, permission, PLATFORM) ? (
        <Text>{t("notAllowed")}</Text>
      ) : (
        <>
          <Group component="nav" aria-label={t("tabs.label")} gap="lg">
            {SECTIONS.filter((s) => holdsKey(held, s.permission, PLATFORM)).map((s) => (
              <Anchor
                key={s.to}
                component={NavLink}
                to={s.to}
                fw={500}
                underline={pathname === s.to ? "always" : "hover"}
              >
                {t(s.label)}
              </Anchor>
            ))}
          </Group>
          {children}
        </>
      )}
    </Stack>
  );
}
