-- The export direction (issue 15 §3): people, assignments and completions of Lyceum's own
-- courses pushed to an external system. A course link says which external course a native
-- Lyceum course corresponds to; `integration_exports` remembers what was sent (a fingerprint
-- of it), so an export run pushes only what changed since, and a run done twice sends nothing.
create table integration_course_links (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  integration_id uuid not null references lms_integrations (id) on delete cascade,
  course_id uuid not null references courses (id) on delete cascade,
  external_course_id text not null check (length(external_course_id) between 1 and 200),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (integration_id, course_id)
);
create index integration_course_links_org on integration_course_links (organization_id);
create index integration_course_links_course on integration_course_links (course_id);

-- One record pushed: a person (local id: the user), an enrollment or a completion (local id:
-- the enrollment). `external_id` is the record's id over there (null when the system could not
-- take it, e.g. completions a system has no call for: then the fingerprint stops a retry until
-- the record changes).
create table integration_exports (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  integration_id uuid not null references lms_integrations (id) on delete cascade,
  entity text not null check (entity in ('person', 'enrollment', 'completion')),
  local_id uuid not null,
  external_id text check (length(external_id) <= 300),
  fingerprint text not null check (length(fingerprint) <= 128),
  pushed_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (integration_id, entity, local_id)
);
create index integration_exports_org on integration_exports (organization_id);
