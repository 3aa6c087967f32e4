-- SCIM 2.0 provisioning (issue 15 §4): bearer tokens scoped to one organization, the
-- identifiers an HR system keeps for the people and groups it provisions, and audit records
-- whose actor is such a token.

create table scim_tokens (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  token_prefix text not null,
  token_hash text not null unique,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references users (id) on delete set null
);
create index scim_tokens_org_idx on scim_tokens (organization_id, created_at desc);

-- The HR system's id of the person (SCIM externalId), per membership; whether the account
-- itself was created by this organization's provisioning (then the organization may change its
-- name and address); and whether a provisioning deactivation gave the organization's seat back.
alter table organization_members
  add column external_id text check (external_id is null or length(external_id) between 1 and 500),
  add column account_provisioned boolean not null default false,
  add column seat_released boolean not null default false;
create unique index organization_members_external_id_idx
  on organization_members (organization_id, external_id) where external_id is not null;

alter table teams
  add column external_id text check (external_id is null or length(external_id) between 1 and 500);
create unique index teams_external_id_idx
  on teams (organization_id, external_id) where external_id is not null;

alter table audit_logs drop constraint audit_logs_actor_type_check;
alter table audit_logs
  add constraint audit_logs_actor_type_check
  check (actor_type in ('user', 'api-key', 'system', 'scim-token'));
alter table audit_logs
  add column actor_scim_token_id uuid references scim_tokens (id) on delete set null;
