-- Cohorts of cohort-based courses (seed 001): dates, capacity, lifecycle, instructor, meeting
-- link, optional privacy to one organization; their session recordings; a course's kit items.

create table cohorts (
  id uuid primary key default uuid_generate_v7(),
  course_id uuid not null references courses (id) on delete cascade,
  organization_id uuid references organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  timezone text not null default 'UTC',
  capacity integer not null check (capacity > 0),
  enrolled_count integer not null default 0 check (enrolled_count >= 0),
  waitlist_count integer not null default 0 check (waitlist_count >= 0),
  status text not null default 'scheduled' check (status in ('scheduled', 'open', 'in-progress', 'completed', 'cancelled')),
  instructor_id uuid references users (id) on delete set null,
  meeting_url text,
  cancelled_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint cohorts_dates check (ends_at > starts_at),
  constraint cohorts_not_oversold check (enrolled_count <= capacity)
);
create index cohorts_course_idx on cohorts (course_id, starts_at);
create index cohorts_org_idx on cohorts (organization_id);
create trigger cohorts_updated_at before update on cohorts for each row execute function set_updated_at();

create table session_recordings (
  id uuid primary key default uuid_generate_v7(),
  cohort_id uuid not null references cohorts (id) on delete cascade,
  module_id uuid references modules (id) on delete set null,
  title text not null check (length(title) between 1 and 255),
  video_url text not null,
  duration_seconds integer not null default 0 check (duration_seconds >= 0),
  recorded_at timestamptz,
  created_at timestamptz not null default now()
);
create index session_recordings_cohort_idx on session_recordings (cohort_id);

create table kit_items (
  id uuid primary key default uuid_generate_v7(),
  course_id uuid not null references courses (id) on delete cascade,
  title text not null check (length(title) between 1 and 255),
  type text not null check (type in ('slides', 'prompts', 'template', 'chatbot', 'worksheet')),
  url text not null,
  description text,
  position integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index kit_items_course_idx on kit_items (course_id, position);
create trigger kit_items_updated_at before update on kit_items for each row execute function set_updated_at();
