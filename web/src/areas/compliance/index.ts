// Required training (issue 16 §1): the dashboard of who stands where, the requirements with
// their rules and assignments, and exemptions.

export { CompliancePage } from "./CompliancePage";
export { ExemptionsPage } from "./ExemptionsPage";
export { RequirementPage } from "./RequirementPage";
export { RequirementsPage } from "./RequirementsPage";
