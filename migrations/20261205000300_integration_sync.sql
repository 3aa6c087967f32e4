-- The sync engine (issue 15 §3): what an integration brings in lands in the one catalog and the
-- one enrollments table, marked with the integration and the record's id over there.

-- Courses of an external system, mirrored read-only into the organization's catalog.
alter table courses
  add column integration_id uuid references lms_integrations (id) on delete set null,
  add column external_id text check (length(external_id) <= 200),
  add column external_url text check (length(external_url) <= 1000);
create unique index courses_external_key on courses (integration_id, external_id)
  where integration_id is not null and deleted_at is null;

-- Enrollments whose source is an integration, with what the external system records
-- (seed 003 §3.2): its status in its own words, scores, grade, credits, cost (amount and
-- currency), instructor, attempts, certification.
alter table enrollments
  add column integration_id uuid references lms_integrations (id) on delete set null,
  add column external_id text check (length(external_id) <= 300),
  add column external_status text check (external_status in (
    'not-started', 'in-progress', 'completed', 'failed', 'dropped', 'on-hold', 'expired', 'certified'
  )),
  add column score numeric(9, 2),
  add column max_score numeric(9, 2),
  add column passing_score numeric(9, 2),
  add column grade text check (length(grade) <= 20),
  add column credits numeric(8, 2),
  add column instructor_name text check (length(instructor_name) <= 200),
  add column attempts integer check (attempts >= 0),
  add column certified_at timestamptz,
  add column certificate_url text check (length(certificate_url) <= 1000),
  add column external_updated_at timestamptz,
  add column synced_at timestamptz;
create unique index enrollments_external_key on enrollments (integration_id, external_id)
  where integration_id is not null;

-- One sync run: a job that pulls (or pushes) one integration's records. `cursor` is where it
-- is, saved with every page it commits, so a run taken over after its worker died resumes there.
create table integration_sync_runs (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  integration_id uuid not null references lms_integrations (id) on delete cascade,
  direction text not null default 'import' check (direction in ('import', 'export')),
  dry_run boolean not null default false,
  trigger text not null check (trigger in ('manual', 'schedule', 'retry')),
  requested_by uuid references users (id) on delete set null,
  status text not null default 'queued' check (status in (
    'queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled'
  )),
  cursor jsonb,
  -- Records changed since this moment are asked for (the previous successful run's start).
  since timestamptz,
  created_count integer not null default 0,
  updated_count integer not null default 0,
  unchanged_count integer not null default 0,
  skipped_count integer not null default 0,
  failed_count integer not null default 0,
  pages integer not null default 0,
  error text,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index integration_sync_runs_integration_idx on integration_sync_runs (integration_id, created_at desc);
-- One run at a time per integration.
create unique index integration_sync_runs_active_key on integration_sync_runs (integration_id)
  where status in ('queued', 'running');

-- The per-run report: every record that was not unchanged, with what happened and why. A dry
-- run stores what would happen, with the changes it would make.
create table integration_sync_records (
  id uuid primary key default uuid_generate_v7(),
  run_id uuid not null references integration_sync_runs (id) on delete cascade,
  organization_id uuid not null references organizations (id) on delete cascade,
  entity text not null check (entity in ('course', 'enrollment')),
  external_id text not null,
  outcome text not null check (outcome in ('created', 'updated', 'skipped', 'failed')),
  reason text,
  changes jsonb,
  created_at timestamptz not null default now()
);
create index integration_sync_records_run_idx on integration_sync_records (run_id, outcome);

-- Records that failed and wait to be tried again (or discarded) by a person.
create table integration_dead_letters (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  integration_id uuid not null references lms_integrations (id) on delete cascade,
  run_id uuid references integration_sync_runs (id) on delete set null,
  entity text not null check (entity in ('course', 'enrollment')),
  external_id text not null,
  payload jsonb not null,
  error text not null,
  attempts integer not null default 1,
  status text not null default 'open' check (status in ('open', 'retried', 'discarded')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index integration_dead_letters_open_key on integration_dead_letters (integration_id, entity, external_id)
  where status = 'open';

-- Monitoring (issue 15 §5; seed 004 13.4.5): calls to the external system and their time per
-- run, the integration's service level and when repeated failures open an incident.
alter table integration_sync_runs
  add column remote_calls integer not null default 0,
  add column remote_ms integer not null default 0;
alter table lms_integrations
  -- A successful sync at least every so many hours; null: no service level.
  add column sla_hours integer check (sla_hours between 1 and 8760),
  -- Consecutive failed runs that open an incident.
  add column incident_after_failures integer not null default 3 check (incident_after_failures between 1 and 100);

create table integration_incidents (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  integration_id uuid not null references lms_integrations (id) on delete cascade,
  status text not null default 'open' check (status in ('open', 'resolved')),
  failures integer not null default 0,
  last_error text,
  first_run_id uuid references integration_sync_runs (id) on delete set null,
  last_run_id uuid references integration_sync_runs (id) on delete set null,
  resolved_run_id uuid references integration_sync_runs (id) on delete set null,
  opened_at timestamptz not null,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index integration_incidents_open_key on integration_incidents (integration_id)
  where status = 'open';
create index integration_incidents_organization_idx on integration_incidents (organization_id, opened_at desc);
