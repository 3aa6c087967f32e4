import { Button, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

const PAGES = [
  { to: "/account/profile", label: "nav.profile" },
  { to: "/account/sessions", label: "nav.sessions" },
  { to: "/account/notifications", label: "nav.notifications" },
] as const;

/** Links between the account pages, the current one marked for screen readers too. */
export function AccountNav() {
  const { t } = useTranslation("account");
  const { pathname } = useLocation();
  return (
    <Group component="nav" aria-label={t("nav.label")} gap="xs" wrap="wrap">
      {PAGES.map((page) => {
        const current = pathname === page.to;
        return (
          <Button
            key={page.to}
            component={Link}
            to={page.to}
            variant={current ? "light" : "subtle"}
            size="compact-md"
            aria-current={current ? "page" : undefined}
          >
            {t(page.label)}
          </Button>
        );
      })}
    </Group>
  );
}
