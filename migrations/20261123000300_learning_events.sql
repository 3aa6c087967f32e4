-- Extensible enums (seed 000 §3.2.2) and the learning event stream (seed 000 §3.2.1).

create table lookup_values (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid references organizations (id) on delete cascade,
  category text not null check (category ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  key text not null check (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  display_as text not null check (length(display_as) between 1 and 200),
  description text,
  sort_order integer not null default 0,
  is_active boolean not null default true,
  is_system boolean not null default false,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique nulls not distinct (organization_id, category, key)
);
create index lookup_values_category_idx on lookup_values (category, is_active);
create trigger lookup_values_updated_at before update on lookup_values for each row execute function set_updated_at();

create table learning_events (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid references organizations (id) on delete cascade,
  learner_id uuid not null references users (id) on delete cascade,
  event_type text not null,
  course_id uuid references courses (id) on delete set null,
  cohort_id uuid,
  content_id uuid,
  enrollment_id uuid,
  session_id text,
  occurred_at timestamptz not null,
  duration_seconds integer check (duration_seconds is null or duration_seconds >= 0),
  context jsonb not null default '{}',
  data jsonb not null default '{}',
  source text not null default 'internal' check (source in ('internal', 'client', 'xapi', 'integration')),
  day_key date not null,
  week_key text not null check (week_key ~ '^\d{4}-W\d{2}$'),
  month_key text not null check (month_key ~ '^\d{4}-\d{2}$'),
  quarter_key text not null check (quarter_key ~ '^\d{4}-Q[1-4]$'),
  year_key integer not null,
  created_at timestamptz not null default now()
);
create index learning_events_org_time_idx on learning_events (organization_id, occurred_at);
create index learning_events_learner_time_idx on learning_events (learner_id, occurred_at);
create index learning_events_course_type_idx on learning_events (course_id, event_type);
create index learning_events_org_day_idx on learning_events (organization_id, day_key);
