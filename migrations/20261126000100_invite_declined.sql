-- The invited person may decline (POST /invites/decline): the invitation becomes `declined`,
-- with the time, so the organization sees the answer and the link can no longer be accepted.
alter table organization_invites drop constraint organization_invites_status_check;
alter table organization_invites add constraint organization_invites_status_check
  check (status in ('pending', 'accepted', 'declined', 'expired', 'revoked'));
alter table organization_invites add column declined_at timestamptz;
