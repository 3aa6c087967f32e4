-- Reusable questions (seed 002 question_bank): an organization's shared bank, or an
-- instructor's own (organization_id null). `definition` holds the question in the shape of
-- src/modules/assessments/questions.ts, validated before it is stored.

create table question_bank (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid references organizations (id) on delete cascade,
  created_by uuid references users (id) on delete set null,
  title text not null check (length(title) between 1 and 255),
  category text check (category is null or length(category) <= 100),
  tags text[] not null default '{}',
  difficulty text check (difficulty is null or difficulty in ('easy', 'medium', 'hard')),
  question_type text not null check (question_type in ('multiple-choice', 'multiple-select', 'true-false', 'short-answer', 'fill-blank', 'matching', 'essay', 'rating-scale')),
  definition jsonb not null,
  usage_count integer not null default 0 check (usage_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index question_bank_org_idx on question_bank (organization_id, question_type) where deleted_at is null;
create index question_bank_owner_idx on question_bank (created_by) where deleted_at is null;
create index question_bank_tags_idx on question_bank using gin (tags);
create trigger question_bank_updated_at before update on question_bank for each row execute function set_updated_at();
