import { Anchor, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

const PAGES = [
  { to: "/account/profile", label: "nav.profile" },
  { to: "/account/sessions", label: "nav.sessions" },
  { to: "/account/notifications", label: "nav.notifications" },
  { to: "/account/two-step", label: "nav.twoStep" },
  { to: "/account/privacy", label: "nav.privacy" },
] as const;

/** Links between the account pages, the current one marked (bold, and for screen readers). */
export function AccountNav() {
  const { t } = useTranslation("account");
  const { pathname } = useLocation();
  return (
    <Group component="nav" aria-label={t("nav.label")} gap="md" wrap="wrap">
      {PAGES.map((page) => {
        const current = pathname === page.to;
        return (
          <Anchor
            key={page.to}
            component={Link}
            to={page.to}
            fw={current ? 700 : 500}
            underline={current ? "always" : "hover"}
            aria-current={current ? "page" : undefined}
          >
            {t(page.label)}
          </Anchor>
        );
      })}
    </Group>
  );
}
