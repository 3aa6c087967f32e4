// Workflows (issue 16 §3): the approvals inbox and an execution's page for everyone asked to
// decide, and for workflow managers the organization's workflows, one workflow's form with its
// steps and versions, and the executions list.

export { ApprovalsPage } from "./ApprovalsPage";
export { DefinitionPage } from "./DefinitionPage";
export { ExecutionPage } from "./ExecutionPage";
export { ExecutionsPage } from "./ExecutionsPage";
export { WorkflowsPage } from "./WorkflowsPage";
