-- Integration configurations (issue 15 §1; seed 003 §3.1 LMSIntegrationConfig, seed 004 13.4.2):
-- one row per external learning system an organization connects. Credentials are kept sealed
-- (AES-256-GCM, src/platform/secrets.ts): `credentials_public` holds only the fields that are
-- not secret (client id, token URL, user name), `credentials_sealed` the rest, with the id of
-- the key it was sealed with so a rotation can find what to re-seal.
create table lms_integrations (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  code text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$'),
  lms_type text not null check (lms_type in (
    'moodle', 'canvas', 'talentlms', 'docebo', 'cornerstone', 'blackboard', 'generic-rest',
    'file', 'inbound-webhook'
  )),
  method text not null check (method in (
    'api', 'lti', 'scorm', 'xapi', 'sftp', 'file-upload', 'webhook', 'database-link',
    'manual-entry'
  )),
  auth_type text not null default 'none' check (auth_type in (
    'none', 'api-token', 'oauth2-client-credentials', 'basic'
  )),
  base_url text check (length(base_url) <= 500),
  api_version text not null default 'v1' check (length(api_version) between 1 and 20),
  data_format text not null default 'json' check (data_format in ('json', 'xml', 'csv', 'xlsx')),
  encoding text not null default 'utf-8' check (length(encoding) between 1 and 20),
  -- `cron`: sync_cron is a cron expression read in the organization's time zone.
  sync_frequency text not null default 'on-demand' check (sync_frequency in ('on-demand', 'cron')),
  sync_cron text check (length(sync_cron) <= 100),
  direction text not null default 'import' check (direction in ('import', 'export', 'both')),
  is_active boolean not null default true,
  connection_status text not null default 'disconnected' check (connection_status in (
    'connected', 'disconnected', 'error', 'testing', 'maintenance'
  )),
  last_tested_at timestamptz,
  last_error text,
  last_sync_at timestamptz,
  last_successful_sync_at timestamptz,
  error_count integer not null default 0 check (error_count >= 0),
  max_retries integer not null default 3 check (max_retries between 0 and 10),
  timeout_seconds integer not null default 30 check (timeout_seconds between 1 and 600),
  rate_limit_per_hour integer not null default 1000 check (rate_limit_per_hour between 1 and 1000000),
  options jsonb not null default '{}',
  credentials_public jsonb,
  credentials_sealed text,
  credentials_key_id text,
  field_mappings jsonb not null default '[]',
  validation_rules jsonb not null default '[]',
  transformation_rules jsonb not null default '[]',
  -- People told about the integration's failures (monitoring, later).
  owner_ids uuid[] not null default '{}',
  created_by uuid references users (id) on delete set null,
  updated_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Removed integrations keep their row (what was imported through them still names them);
  -- their credentials are erased and their code is free again.
  deleted_at timestamptz,
  constraint lms_integrations_cron_check check ((sync_frequency = 'cron') = (sync_cron is not null)),
  constraint lms_integrations_credentials_check check (
    (credentials_sealed is null) = (credentials_key_id is null)
    and (credentials_sealed is null) = (credentials_public is null)
  )
);
create unique index lms_integrations_organization_id_code_key
  on lms_integrations (organization_id, code) where deleted_at is null;
create index lms_integrations_organization_type_idx
  on lms_integrations (organization_id, lms_type) where deleted_at is null;
create index lms_integrations_organization_active_idx
  on lms_integrations (organization_id, is_active) where deleted_at is null;
create index lms_integrations_credentials_key_idx
  on lms_integrations (credentials_key_id) where credentials_key_id is not null;
