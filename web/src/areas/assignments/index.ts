// Assignments: training assigned to an organization's people, who is late, and bulk changes.

export { AssignmentsPage } from "./AssignmentsPage";
