import {
  Anchor,
  AppShell,
  Avatar,
  Burger,
  Group,
  Menu,
  NavLink,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { type Me, permissionsOf, useSignOut } from "../api/session";
import { NotificationBell } from "../areas/notifications/NotificationBell";
import { Loading } from "../ui/PageState";
import { LanguageSwitch } from "./LanguageSwitch";
import { visibleEntries } from "./navigation";
import { PreloadNavLink } from "./PreloadLink";
import { useSignedInMe } from "./RequireAuth";
import { SkipLink } from "./SkipLink";

function UserMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const name = me.user.displayName ?? me.user.fullName;
  const initials = `${me.user.firstName.charAt(0)}${me.user.lastName.charAt(0)}`.toUpperCase();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton>
          <Avatar color="indigo" radius="xl" size="md" src={me.user.avatarUrl} alt="" aria-hidden>
            {initials}
          </Avatar>
          <VisuallyHidden>{t("shell.userMenu", { name })}</VisuallyHidden>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)">
            {name}
          </Text>
          <Text size="xs">{me.user.email}</Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item component={Link} to="/account/profile">
          {t("account.profile")}
        </Menu.Item>
        <Menu.Item component={Link} to="/account/sessions">
          {t("account.sessions")}
        </Menu.Item>
        <Menu.Item component={Link} to="/account/notifications">
          {t("account.notifications")}
        </Menu.Item>
        <Menu.Item component={Link} to="/account/privacy">
          {t("account.privacy")}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          onClick={() =>
            signOut.mutate(undefined, {
              onSettled: () => navigate("/sign-in", { replace: true }),
            })
          }
        >
          {t("shell.signOut")}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** The signed-in layout: header, navigation that follows permissions, main content. */
export function Shell() {
  const { t } = useTranslation();
  const me = useSignedInMe();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes the mobile navigation on every navigation
  useEffect(() => close(), [location.pathname, close]);
  const entries = visibleEntries(permissionsOf(me));
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t("shell.toggleNavigation")}
              aria-expanded={opened}
              aria-controls="main-navigation"
            />
            <Anchor component={Link} to="/" fw={700} fz="xl" underline="never">
              {t("product")}
            </Anchor>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitch />
            <NotificationBell userId={me.user.id} />
            <UserMenu me={me} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" id="main-navigation" aria-label={t("shell.navigation")}>
        {entries.map((entry) => (
          <NavLink
            key={entry.to}
            component={PreloadNavLink}
            to={entry.to}
            end={entry.end}
            label={t(entry.label)}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
