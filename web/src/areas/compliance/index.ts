// Required training (issue 16 §1): the dashboard of who stands where, the requirements with
// their rules and assignments, exemptions, and the auditor's evidence pack.

export { CompliancePage } from "./CompliancePage";
export { EvidencePage } from "./EvidencePage";
export { ExemptionsPage } from "./ExemptionsPage";
export { RequirementPage } from "./RequirementPage";
export { RequirementsPage } from "./RequirementsPage";
