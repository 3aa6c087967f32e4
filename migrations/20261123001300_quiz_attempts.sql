-- Quiz attempts and answers (seed 002 quiz_attempts, student_answers; seed 001 assessmentAttempts,
-- questionResponses with AI grading), each learner's standing per quiz, and learning gain
-- (seed 001 learningGainAnalytics).

create table quiz_attempts (
  id uuid primary key default uuid_generate_v7(),
  quiz_id uuid not null references quizzes (id) on delete cascade,
  enrollment_id uuid not null references enrollments (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  course_id uuid not null references courses (id) on delete cascade,
  attempt_number integer not null check (attempt_number >= 1),
  -- in-progress → submitted (waiting for a grader) → graded; or straight to graded.
  status text not null default 'in-progress' check (status in ('in-progress', 'submitted', 'graded')),
  -- Why it closed: the learner submitted, the time ran out, or it was left open too long.
  end_reason text check (end_reason in ('submitted', 'time-expired', 'abandoned')),
  started_at timestamptz not null,
  -- When answers stop counting: start + time limit, or the quiz closing, whichever is first.
  deadline_at timestamptz,
  last_saved_at timestamptz,
  submitted_at timestamptz,
  graded_at timestamptz,
  time_spent_seconds integer not null default 0,
  -- The questions served, in the order served (a pool draws some of them), and per question
  -- the order its options or matching items were shown in: stable for the whole attempt.
  question_ids text[] not null,
  layout jsonb not null default '{}',
  -- Without back navigation, questions before this position can no longer be changed.
  current_position integer not null default 1,
  points_earned numeric(8, 2),
  points_possible numeric(8, 2),
  score numeric(5, 2) check (score is null or score between 0 and 100),
  passed boolean,
  pending_manual integer not null default 0,
  flagged_for_review boolean not null default false,
  feedback text,
  review_notes text,
  graded_by uuid references users (id) on delete set null,
  ip_address text,
  user_agent text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint quiz_attempts_number_key unique (quiz_id, user_id, attempt_number)
);
-- One open attempt per learner and quiz.
create unique index quiz_attempts_open_key on quiz_attempts (quiz_id, user_id) where status = 'in-progress';
create index quiz_attempts_quiz_idx on quiz_attempts (quiz_id, status);
create index quiz_attempts_enrollment_idx on quiz_attempts (enrollment_id);
create index quiz_attempts_deadline_idx on quiz_attempts (deadline_at) where status = 'in-progress';
create index quiz_attempts_pending_idx on quiz_attempts (course_id) where status = 'submitted';
create trigger quiz_attempts_updated_at before update on quiz_attempts for each row execute function set_updated_at();

create table quiz_answers (
  id uuid primary key default uuid_generate_v7(),
  attempt_id uuid not null references quiz_attempts (id) on delete cascade,
  quiz_question_id uuid not null references quiz_questions (id) on delete cascade,
  response jsonb,
  saved_at timestamptz,
  marked_for_review boolean not null default false,
  outcome text check (outcome in ('correct', 'partial', 'incorrect', 'unanswered', 'needs-grading', 'ungraded')),
  points numeric(8, 2),
  max_points numeric(8, 2),
  feedback text,
  rubric_scores jsonb,
  graded_by uuid references users (id) on delete set null,
  graded_at timestamptz,
  -- AI-assisted grading of open answers (seed 001 questionResponses).
  ai_grader text,
  ai_points numeric(8, 2),
  ai_confidence numeric(4, 3),
  ai_decision text check (ai_decision in ('graded', 'graded-flagged', 'manual')),
  ai_feedback text,
  ai_criteria jsonb,
  -- A person changed what the rules or the AI grader gave.
  manual_override boolean not null default false,
  flagged_for_review boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint quiz_answers_question_key unique (attempt_id, quiz_question_id)
);
create index quiz_answers_question_idx on quiz_answers (quiz_question_id);
create trigger quiz_answers_updated_at before update on quiz_answers for each row execute function set_updated_at();

-- A learner's standing on a quiz in one enrollment: what progress and the gradebook read.
create table quiz_results (
  enrollment_id uuid not null references enrollments (id) on delete cascade,
  quiz_id uuid not null references quizzes (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  attempts_used integer not null default 0,
  best_score numeric(5, 2),
  best_attempt_id uuid references quiz_attempts (id) on delete set null,
  last_score numeric(5, 2),
  last_attempt_id uuid references quiz_attempts (id) on delete set null,
  passed boolean not null default false,
  passed_at timestamptz,
  -- When the quiz first counted towards completing its module (passed, or taken for kinds
  -- that are not passed or failed).
  satisfied_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (enrollment_id, quiz_id)
);
create index quiz_results_quiz_idx on quiz_results (quiz_id);

create table learning_gains (
  id uuid primary key default uuid_generate_v7(),
  enrollment_id uuid not null references enrollments (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  course_id uuid not null references courses (id) on delete cascade,
  cohort_id uuid references cohorts (id) on delete set null,
  organization_id uuid references organizations (id) on delete set null,
  pre_quiz_id uuid not null references quizzes (id) on delete cascade,
  pre_attempt_id uuid not null references quiz_attempts (id) on delete cascade,
  pre_score numeric(5, 2) not null,
  post_quiz_id uuid not null references quizzes (id) on delete cascade,
  post_attempt_id uuid not null references quiz_attempts (id) on delete cascade,
  post_score numeric(5, 2) not null,
  score_improvement numeric(6, 2) not null,
  -- (post − pre) / pre × 100; null for a pre-score of 0.
  percentage_gain numeric(10, 2),
  -- Hake's (post − pre) / (100 − pre); null for a pre-score of 100 (no room to gain).
  normalized_gain numeric(6, 4),
  band text check (band in ('high', 'medium', 'low')),
  skill_gains jsonb not null default '[]',
  calculated_at timestamptz not null,
  constraint learning_gains_enrollment_key unique (enrollment_id)
);
create index learning_gains_course_idx on learning_gains (course_id);
