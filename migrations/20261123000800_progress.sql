-- Learner progress (seed 002 lesson_progress and module_progress), kept per enrollment so a
-- re-enrollment starts clean and rows leave with their enrollment.

create table lesson_progress (
  id uuid primary key default uuid_generate_v7(),
  enrollment_id uuid not null references enrollments (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  course_id uuid not null references courses (id) on delete cascade,
  module_id uuid not null references modules (id) on delete cascade,
  lesson_id uuid not null references lessons (id) on delete cascade,
  status text not null default 'in-progress' check (status in ('in-progress', 'completed')),
  started_at timestamptz not null,
  completed_at timestamptz,
  -- seconds into a video or audio, or a character offset into text
  last_position integer not null default 0 check (last_position >= 0),
  completion_percent numeric(5, 2) not null default 0 check (completion_percent between 0 and 100),
  time_spent_seconds integer not null default 0 check (time_spent_seconds >= 0),
  last_activity_at timestamptz not null,
  notes text,
  -- [{id, position, note, createdAt}]
  bookmarks jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (enrollment_id, lesson_id)
);
create index lesson_progress_user_idx on lesson_progress (user_id, last_activity_at desc);
create index lesson_progress_lesson_idx on lesson_progress (lesson_id, status);
create trigger lesson_progress_updated_at before update on lesson_progress for each row execute function set_updated_at();

create table module_progress (
  id uuid primary key default uuid_generate_v7(),
  enrollment_id uuid not null references enrollments (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  module_id uuid not null references modules (id) on delete cascade,
  lessons_completed integer not null default 0 check (lessons_completed >= 0),
  lessons_total integer not null default 0 check (lessons_total >= 0),
  time_spent_seconds integer not null default 0 check (time_spent_seconds >= 0),
  completion_percent numeric(5, 2) not null default 0 check (completion_percent between 0 and 100),
  unlocked_at timestamptz,
  started_at timestamptz,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (enrollment_id, module_id)
);
create index module_progress_user_idx on module_progress (user_id);
create trigger module_progress_updated_at before update on module_progress for each row execute function set_updated_at();

alter table enrollments add column lessons_completed integer not null default 0 check (lessons_completed >= 0);
alter table enrollments add column lessons_total integer not null default 0 check (lessons_total >= 0);
