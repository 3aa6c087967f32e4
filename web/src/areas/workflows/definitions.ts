// Workflows for workflow managers (issue 16 §3): the organization's workflows, one
// workflow's form with its steps and versions, and the executions list.

export { DefinitionPage } from "./DefinitionPage";
export { ExecutionsPage } from "./ExecutionsPage";
export { WorkflowsPage } from "./WorkflowsPage";
