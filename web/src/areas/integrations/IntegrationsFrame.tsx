import type { ReactNode } from "react";
import { OrganizationAreaFrame } from "../../app/OrganizationChoice";

export const PERMISSION = "integrations:manage";

const SECTIONS = [
  { to: "/integrations", label: "tabs.list" },
  { to: "/integrations/learning", label: "tabs.learning" },
] as const;

/**
 * The frame of the organization-wide integration pages, among the organizations where the
 * person manages integrations, with an optional action beside the title.
 */
export function IntegrationsFrame({
  title,
  action,
  children,
}: {
  title: string;
  action?: (orgId: string) => ReactNode;
  children: (orgId: string) => ReactNode;
}) {
  return (
    <OrganizationAreaFrame
      title={title}
      permission={PERMISSION}
      namespace="integrations"
      sections={SECTIONS}
      maw={1100}
      action={action}
    >
      {(orgId) => children(orgId)}
    </OrganizationAreaFrame>
  );
}
