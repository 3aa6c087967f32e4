import { Select } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
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
