import type { ReactNode } from "react";
import { OrganizationAreaFrame } from "../../app/OrganizationChoice";
import { holdsKey } from "../../app/permissions";

/** The compliance pages, each for whoever reads the organization's compliance. */
const SECTIONS = [
  { to: "/compliance", label: "tabs.dashboard" },
  { to: "/compliance/requirements", label: "tabs.requirements" },
  { to: "/compliance/exemptions", label: "tabs.exemptions" },
  { to: "/compliance/evidence", label: "tabs.evidence" },
] as const;

/**
 * The frame of a compliance page, among the organizations where the person reads compliance;
 * the page is told whether the person may change it.
 */
export function ComplianceFrame({
  title,
  children,
}: {
  title: string;
  children: (orgId: string, canManage: boolean) => ReactNode;
}) {
  return (
    <OrganizationAreaFrame
      title={title}
      permission="compliance:read"
      namespace="compliance"
      sections={SECTIONS}
    >
      {(orgId, chosen) => children(orgId, holdsKey(chosen.permissions, "compliance:manage"))}
    </OrganizationAreaFrame>
  );
}
