import { Anchor, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation } from "react-router";

/** Links between the report pages of an organization: overview, templates, the builder,
 * schedules and jobs. */
export function ReportsNav({ orgId }: { orgId: string }) {
  const { t } = useTranslation("reports");
  const { pathname } = useLocation();
  const links = [
    { to: "/reports/dashboard", label: t("nav.dashboard") },
    { to: "/reports/templates", label: t("nav.templates") },
    { to: "/reports/builder", label: t("nav.builder") },
    { to: "/reports/schedules", label: t("nav.schedules") },
    { to: "/reports/jobs", label: t("nav.jobs") },
  ];
  return (
    <Group component="nav" aria-label={t("nav.label")} gap="lg">
      {links.map((link) => (
        <Anchor
          key={link.to}
          component={NavLink}
          to={`${link.to}?org=${orgId}`}
          fw={500}
          underline={pathname === link.to ? "always" : "hover"}
        >
          {link.label}
        </Anchor>
      ))}
    </Group>
  );
}
