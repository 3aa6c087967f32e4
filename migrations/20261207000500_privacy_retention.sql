-- Retention, archival and privacy (issue 16 §4; seed 004 13.4.13, seed 001 GDPR and manager
-- access logs).

-- Data subject requests: an export of everything held about a person, an erasure by
-- anonymization, or a restriction of processing. `organization_id` null: a platform-wide
-- request (the platform administrator's, or a person's own for their account).
create table privacy_requests (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid references organizations (id) on delete cascade,
  type text not null check (type in ('export', 'erasure', 'restriction')),
  status text not null default 'requested'
    check (status in ('requested', 'processing', 'completed', 'rejected', 'lifted')),
  subject_user_id uuid not null references users (id) on delete cascade,
  requested_by uuid references users (id) on delete set null,
  reason text check (length(reason) <= 2000),
  scope text not null default 'organization' check (scope in ('organization', 'account')),
  decided_by uuid references users (id) on delete set null,
  decision_note text check (length(decision_note) <= 2000),
  file_key text,
  file_size integer,
  file_checksum text,
  summary jsonb not null default '{}',
  error text,
  completed_at timestamptz,
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index privacy_requests_org on privacy_requests (organization_id, created_at desc);
create index privacy_requests_subject on privacy_requests (subject_user_id);
-- At most one restriction in force per person and organization (null: the whole account).
create unique index privacy_requests_restriction on privacy_requests (
  coalesce(organization_id, '00000000-0000-0000-0000-000000000000'::uuid), subject_user_id
) where type = 'restriction' and status = 'completed';

-- Erasure of audit records: personal values inside a sealed record's before/after are replaced;
-- the record keeps its hash and says which erasure redacted it. The erasure seals, in the same
-- chain, an attestation listing each redacted record with the digest of its redacted content,
-- which is what the verifier checks the record against from then on.
alter table audit_logs
  add column redacted_at timestamptz,
  add column redacted_by_request_id uuid;

-- Where verification of a chain starts once a prefix of it was archived and deleted.
create table audit_chain_checkpoints (
  chain_key uuid primary key,
  seq bigint not null,
  hash text not null,
  archive_id uuid,
  created_at timestamptz not null default now()
);

-- Retention policies per organization and data category.
create table retention_policies (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  category text not null check (category in (
    'learning-events', 'audit-logs', 'report-files', 'mail', 'sessions',
    'departed-people', 'notifications'
  )),
  action text not null check (action in ('delete', 'archive', 'anonymize', 'aggregate')),
  retain_days integer not null check (retain_days between 1 and 36500),
  review_every_days integer not null default 365 check (review_every_days between 1 and 3650),
  next_review_at timestamptz not null,
  last_reviewed_at timestamptz,
  last_reviewed_by uuid references users (id) on delete set null,
  enabled boolean not null default true,
  last_run_at timestamptz,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, category)
);

-- A legal hold: while set, nothing of the organization is deleted or anonymized by policy.
alter table organizations add column legal_hold_until timestamptz;

-- What each retention run did: one line per category and run.
create table retention_archives (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  policy_id uuid references retention_policies (id) on delete set null,
  category text not null,
  action text not null,
  range_from timestamptz,
  range_to timestamptz not null,
  row_count integer not null,
  file_key text,
  file_size integer,
  checksum text,
  created_at timestamptz not null default now()
);
create index retention_archives_org on retention_archives (organization_id, created_at desc);

-- Reads of a person's data by managers and administrators (seed 001 manager access logs).
create table privacy_access_logs (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid references organizations (id) on delete cascade,
  viewer_user_id uuid references users (id) on delete set null,
  viewer_api_key_id uuid,
  subject_user_id uuid not null references users (id) on delete cascade,
  what text not null check (length(what) <= 100),
  detail text check (length(detail) <= 500),
  ip_address text,
  user_agent text,
  created_at timestamptz not null default now()
);
create index privacy_access_logs_org on privacy_access_logs (organization_id, created_at desc);
create index privacy_access_logs_subject on privacy_access_logs (subject_user_id, created_at desc);

-- What a learner lets managers see.
create table privacy_settings (
  user_id uuid primary key references users (id) on delete cascade,
  show_scores boolean not null default true,
  show_activity boolean not null default true,
  show_certificates boolean not null default true,
  updated_at timestamptz not null default now()
);
