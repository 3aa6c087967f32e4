import { organizationOwnedKind, type RefKind, refKind } from "../../platform/references.js";

/** Workflow definitions, as query references: visible only inside their organization. */
export const workflowRefKinds: Record<string, RefKind> = {
  workflow: refKind<{ id: string; organization_id: string }>({
    label: "Workflow",
    query: (db, ids) =>
      db
        .selectFrom("workflow_definitions")
        .select(["id", "organization_id"])
        .where("id", "in", ids),
    home: (row) => row.organization_id,
    visible: (row, scope) => scope.organizations.includes(row.organization_id),
  }),
  "workflow-execution": organizationOwnedKind("Workflow execution", "workflow_executions"),
};
