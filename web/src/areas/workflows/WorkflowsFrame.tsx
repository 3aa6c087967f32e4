import type { ReactNode } from "react";
import { OrganizationAreaFrame } from "../../app/OrganizationChoice";

/** The workflow managers' list pages. */
const SECTIONS = [
  { to: "/workflows", label: "tabs.workflows" },
  { to: "/workflows/executions", label: "tabs.executions" },
] as const;

/** The frame of a workflows list page, among the organizations where the person manages workflows. */
export function WorkflowsFrame({
  title,
  children,
}: {
  title: string;
  children: (orgId: string) => ReactNode;
}) {
  return (
    <OrganizationAreaFrame
      title={title}
      permission="workflows:manage"
      namespace="workflows"
      sections={SECTIONS}
    >
      {(orgId) => children(orgId)}
    </OrganizationAreaFrame>
  );
}
