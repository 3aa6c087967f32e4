-- Catalog: courses, course staff, modules and lessons (seed 002), with seed 001's cohort
-- session types on modules. Money in integer minor units; enums kebab-case.

create table courses (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid references organizations (id) on delete cascade,
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{1,49}$'),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text not null check (length(title) between 1 and 255),
  subtitle text,
  description text not null default '',
  syllabus text,
  instructor_id uuid not null references users (id),
  category text,
  sub_category text,
  level text not null default 'all-levels' check (level in ('beginner', 'intermediate', 'advanced', 'all-levels')),
  language text not null default 'en',
  thumbnail_url text,
  intro_video_url text,
  price_amount integer not null default 0 check (price_amount >= 0),
  currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  enrollment_type text not null default 'open' check (enrollment_type in ('open', 'approval', 'invite', 'paid')),
  capacity integer check (capacity is null or capacity > 0),
  delivery text not null default 'self-paced' check (delivery in ('self-paced', 'cohort-based')),
  status text not null default 'draft' check (status in ('draft', 'published', 'archived')),
  prerequisite_course_ids uuid[] not null default '{}',
  tags text[] not null default '{}',
  learning_outcomes text[] not null default '{}',
  requirements text[] not null default '{}',
  target_audience text,
  duration_minutes integer not null default 0,
  completion_certificate boolean not null default true,
  allow_discussion boolean not null default true,
  is_featured boolean not null default false,
  settings jsonb not null default '{}',
  rating_average numeric(3, 2) not null default 0,
  rating_count integer not null default 0,
  enrolled_count integer not null default 0,
  completed_count integer not null default 0,
  published_at timestamptz,
  archived_at timestamptz,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  constraint courses_paid_has_price check (enrollment_type <> 'paid' or price_amount > 0)
);
create unique index courses_code_key on courses (code) where deleted_at is null;
create unique index courses_slug_key on courses (slug) where deleted_at is null;
create index courses_org_status_idx on courses (organization_id, status) where deleted_at is null;
create index courses_instructor_idx on courses (instructor_id);
create index courses_category_idx on courses (category, sub_category);
create index courses_tags_idx on courses using gin (tags);
create trigger courses_updated_at before update on courses for each row execute function set_updated_at();

create table course_staff (
  id uuid primary key default uuid_generate_v7(),
  course_id uuid not null references courses (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('co-instructor', 'teaching-assistant')),
  can_edit_content boolean not null default false,
  can_grade boolean not null default true,
  can_manage_enrollments boolean not null default false,
  assigned_by uuid references users (id) on delete set null,
  assigned_at timestamptz not null default now(),
  unique (course_id, user_id)
);
create index course_staff_user_idx on course_staff (user_id);

create table modules (
  id uuid primary key default uuid_generate_v7(),
  course_id uuid not null references courses (id) on delete cascade,
  title text not null check (length(title) between 1 and 255),
  description text,
  position integer not null check (position >= 1),
  is_published boolean not null default true,
  unlock_type text not null default 'immediate' check (unlock_type in ('immediate', 'scheduled', 'sequential', 'prerequisites')),
  unlock_at timestamptz,
  prerequisite_module_ids uuid[] not null default '{}',
  estimated_duration_minutes integer check (estimated_duration_minutes is null or estimated_duration_minutes >= 0),
  session_type text check (session_type is null or session_type in ('S', 'W', 'MM', 'CAP', 'IO')),
  day_number integer check (day_number is null or day_number >= 1),
  order_in_day integer check (order_in_day is null or order_in_day >= 1),
  outcomes text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint modules_position_key unique (course_id, position) deferrable initially immediate,
  constraint modules_scheduled_has_date check (unlock_type <> 'scheduled' or unlock_at is not null)
);
create trigger modules_updated_at before update on modules for each row execute function set_updated_at();

create table lessons (
  id uuid primary key default uuid_generate_v7(),
  module_id uuid not null references modules (id) on delete cascade,
  course_id uuid not null references courses (id) on delete cascade,
  title text not null check (length(title) between 1 and 255),
  description text,
  content_type text not null check (content_type in ('video', 'text', 'pdf', 'audio', 'interactive', 'live-session', 'external-link')),
  content jsonb not null default '{}',
  position integer not null check (position >= 1),
  duration_minutes integer not null default 0 check (duration_minutes >= 0),
  min_time_seconds integer not null default 0 check (min_time_seconds >= 0),
  is_preview boolean not null default false,
  is_published boolean not null default true,
  allow_comments boolean not null default true,
  attachments jsonb not null default '[]',
  transcript text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint lessons_position_key unique (module_id, position) deferrable initially immediate
);
create index lessons_course_idx on lessons (course_id);
create trigger lessons_updated_at before update on lessons for each row execute function set_updated_at();
