// The approvals inbox and a workflow execution's page (issue 16 §3): what waits for the
// signed-in person's decision, and one execution with its history.

export { ApprovalsPage } from "./ApprovalsPage";
export { ExecutionPage } from "./ExecutionPage";
