-- Course ratings and announcements (seed 002 course_ratings, announcements, announcement_reads).

create table course_ratings (
  id uuid primary key default uuid_generate_v7(),
  course_id uuid not null references courses (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  enrollment_id uuid not null references enrollments (id) on delete cascade,
  rating integer not null check (rating between 1 and 5),
  review_title text check (review_title is null or length(review_title) <= 255),
  review_content text,
  is_verified_purchase boolean not null default false,
  instructor_response text,
  instructor_response_at timestamptz,
  responded_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (course_id, user_id)
);
create index course_ratings_course_idx on course_ratings (course_id, created_at desc);
create trigger course_ratings_updated_at before update on course_ratings for each row execute function set_updated_at();

create table announcements (
  id uuid primary key default uuid_generate_v7(),
  course_id uuid not null references courses (id) on delete cascade,
  author_id uuid references users (id) on delete set null,
  title text not null check (length(title) between 1 and 255),
  content text not null,
  priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
  is_published boolean not null default true,
  publish_at timestamptz not null,
  expires_at timestamptz,
  -- everyone enrolled, one cohort's learners, or listed learners
  audience text not null default 'all' check (audience in ('all', 'cohort', 'users')),
  cohort_id uuid references cohorts (id) on delete cascade,
  user_ids uuid[] not null default '{}',
  read_count integer not null default 0 check (read_count >= 0),
  notified_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint announcements_window check (expires_at is null or expires_at > publish_at),
  constraint announcements_cohort check ((audience = 'cohort') = (cohort_id is not null))
);
create index announcements_course_idx on announcements (course_id, publish_at desc);
create index announcements_due_idx on announcements (publish_at) where notified_at is null and is_published;
create trigger announcements_updated_at before update on announcements for each row execute function set_updated_at();

create table announcement_reads (
  announcement_id uuid not null references announcements (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  read_at timestamptz not null default now(),
  primary key (announcement_id, user_id)
);
