-- Quizzes on modules or lessons (seed 002 quizzes, quiz_questions; seed 001 assessment kinds).
-- A quiz question is a copy of its definition (edited independently of the bank it came from).

create table quizzes (
  id uuid primary key default uuid_generate_v7(),
  course_id uuid not null references courses (id) on delete cascade,
  module_id uuid not null references modules (id) on delete cascade,
  lesson_id uuid references lessons (id) on delete set null,
  title text not null check (length(title) between 1 and 255),
  description text,
  instructions text,
  kind text not null default 'graded' check (kind in ('graded', 'practice', 'survey', 'pre-course', 'post-course', 'knowledge-check', 'skill-assessment', 'certification', 'self-assessment')),
  is_published boolean not null default false,
  available_from timestamptz,
  available_until timestamptz,
  time_limit_minutes integer check (time_limit_minutes is null or time_limit_minutes between 1 and 1440),
  attempt_limit integer check (attempt_limit is null or attempt_limit >= 1),
  passing_score numeric(5, 2) not null default 70 check (passing_score between 0 and 100),
  weight_percent numeric(5, 2) check (weight_percent is null or weight_percent between 0 and 100),
  randomize_questions boolean not null default false,
  randomize_answers boolean not null default false,
  questions_per_attempt integer check (questions_per_attempt is null or questions_per_attempt >= 1),
  show_correct_answers text not null default 'after-submit' check (show_correct_answers in ('never', 'after-submit', 'after-passing', 'after-all-attempts', 'after-deadline')),
  allow_back_navigation boolean not null default true,
  required_for_completion boolean not null default true,
  total_points numeric(8, 2) not null default 0,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  constraint quizzes_window check (available_until is null or available_from is null or available_until > available_from)
);
create index quizzes_course_idx on quizzes (course_id) where deleted_at is null;
create index quizzes_module_idx on quizzes (module_id) where deleted_at is null;
create trigger quizzes_updated_at before update on quizzes for each row execute function set_updated_at();

create table quiz_questions (
  id uuid primary key default uuid_generate_v7(),
  quiz_id uuid not null references quizzes (id) on delete cascade,
  bank_question_id uuid references question_bank (id) on delete set null,
  position integer not null check (position >= 1),
  question_type text not null,
  definition jsonb not null,
  points numeric(8, 2) not null check (points >= 0),
  required boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint quiz_questions_position_key unique (quiz_id, position) deferrable initially immediate
);
create trigger quiz_questions_updated_at before update on quiz_questions for each row execute function set_updated_at();
