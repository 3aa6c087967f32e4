// The invitations area: the page behind a mailed invitation link.
export { InviteAcceptPage } from "./InviteAcceptPage";
