-- Workflows with approvals (issue 16 §3, seed 004 13.4.12): definitions per organization with a
-- trigger and a list of steps, versioned; executions that keep the version they started with,
-- and the history of every step.

create table workflow_definitions (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  name text not null,
  description text,
  -- the built-in approval the definition runs, if any; at most one of each per organization
  builtin text check (builtin in ('compliance-exemption', 'course-publication', 'enrollment-approval')),
  trigger_type text not null check (trigger_type in ('event', 'schedule', 'manual')),
  trigger_event text,
  schedule_every_hours integer check (schedule_every_hours > 0),
  next_run_at timestamptz,
  steps jsonb not null,
  version integer not null default 1 check (version > 0),
  is_enabled boolean not null default true,
  created_by uuid references users (id) on delete set null,
  updated_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (trigger_type <> 'event' or trigger_event is not null),
  check (trigger_type <> 'schedule' or schedule_every_hours is not null)
);
create unique index workflow_definitions_name_idx on workflow_definitions (organization_id, lower(name));
create unique index workflow_definitions_builtin_idx on workflow_definitions (organization_id, builtin) where builtin is not null;
create index workflow_definitions_event_idx on workflow_definitions (trigger_event) where trigger_type = 'event' and is_enabled;
create index workflow_definitions_schedule_idx on workflow_definitions (next_run_at) where trigger_type = 'schedule' and is_enabled;
create trigger workflow_definitions_updated_at before update on workflow_definitions for each row execute function set_updated_at();

-- Every version of a definition as it was saved: an execution runs the steps of its version.
create table workflow_definition_versions (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  definition_id uuid not null references workflow_definitions (id) on delete cascade,
  version integer not null check (version > 0),
  name text not null,
  trigger_type text not null,
  trigger_event text,
  schedule_every_hours integer,
  steps jsonb not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (definition_id, version)
);

create table workflow_executions (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  definition_id uuid not null references workflow_definitions (id) on delete cascade,
  version_id uuid not null references workflow_definition_versions (id) on delete cascade,
  version integer not null,
  status text not null default 'running' check (status in (
    'running', 'waiting', 'awaiting-approval', 'completed', 'rejected', 'cancelled', 'failed')),
  current_step integer not null default 0 check (current_step >= 0),
  -- the person the execution is about (the requester, the enrolled person), if any
  subject_user_id uuid references users (id) on delete set null,
  -- what it is about: a course, an exemption request, an enrollment request
  subject_type text,
  subject_id uuid,
  trigger text not null,
  context jsonb not null default '{}',
  step_state jsonb not null default '{}',
  -- when the current wait ends or the current approval times out
  due_at timestamptz,
  escalation_level integer not null default 0 check (escalation_level >= 0),
  started_by uuid references users (id) on delete set null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  updated_at timestamptz not null default now()
);
create index workflow_executions_org_idx on workflow_executions (organization_id, started_at desc);
create index workflow_executions_definition_idx on workflow_executions (definition_id);
create index workflow_executions_subject_idx on workflow_executions (organization_id, subject_user_id);
create index workflow_executions_about_idx on workflow_executions (subject_type, subject_id);
create index workflow_executions_due_idx on workflow_executions (due_at) where status in ('running', 'waiting', 'awaiting-approval');
create trigger workflow_executions_updated_at before update on workflow_executions for each row execute function set_updated_at();

-- The history of an execution: each step's start, notices, decisions, escalations and its end.
create table workflow_execution_events (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  execution_id uuid not null references workflow_executions (id) on delete cascade,
  step integer,
  step_type text,
  action text not null,
  actor_id uuid references users (id) on delete set null,
  note text,
  at timestamptz not null default now()
);
create index workflow_execution_events_execution_idx on workflow_execution_events (execution_id, at, id);
