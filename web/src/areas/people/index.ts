// People: an organization's members and invitations (the organization administrator's first
// screen; departments, teams, roles and bulk invitations follow).

export { MemberPage } from "./MemberPage";
export { PeoplePage } from "./PeoplePage";
export { RolePage } from "./RolePage";
export { RolesPage } from "./RolesPage";
export { StructurePage } from "./StructurePage";
