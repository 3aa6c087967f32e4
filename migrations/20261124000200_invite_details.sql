-- Consent before joining (issue 11): `POST /organizations/{id}/members` now invites, so an
-- invitation carries everything that request could set. `role_key` stays the first role;
-- `extra_role_keys` holds the others.
alter table organization_invites add column extra_role_keys text[] not null default '{}';
alter table organization_invites add column title text;
alter table organization_invites add column employee_id text;
