-- One enrollments table for every way in (seed 002 + seed 001 + seeds 003/004), and the
-- cohort waitlist with timed offers (seed 001).

create table enrollments (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  course_id uuid not null references courses (id) on delete cascade,
  cohort_id uuid references cohorts (id) on delete set null,
  organization_id uuid references organizations (id) on delete set null,
  status text not null default 'active' check (status in ('pending-payment', 'active', 'completed', 'suspended', 'dropped', 'expired')),
  source text not null default 'self' check (source in ('self', 'approval', 'access-code', 'paid', 'admin', 'manager', 'compliance', 'learning-path', 'seat', 'integration', 'waitlist')),
  assigned_by uuid references users (id) on delete set null,
  due_at timestamptz,
  is_mandatory boolean not null default false,
  is_compliance boolean not null default false,
  enrolled_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  suspended_at timestamptz,
  suspended_reason text,
  dropped_at timestamptz,
  dropped_reason text,
  access_expires_at timestamptz,
  progress_percent numeric(5, 2) not null default 0 check (progress_percent between 0 and 100),
  time_spent_seconds integer not null default 0 check (time_spent_seconds >= 0),
  last_accessed_at timestamptz,
  payment_status text not null default 'not-required' check (payment_status in ('not-required', 'pending', 'completed', 'failed', 'refunded')),
  payment_provider text,
  checkout_id text,
  payment_reference text,
  amount integer check (amount is null or amount >= 0),
  currency text,
  access_code_id uuid,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, course_id)
);
create unique index enrollments_checkout_key on enrollments (checkout_id) where checkout_id is not null;
create index enrollments_course_status_idx on enrollments (course_id, status);
create index enrollments_cohort_idx on enrollments (cohort_id, status);
create index enrollments_org_idx on enrollments (organization_id, status);
create index enrollments_user_idx on enrollments (user_id, status);
create trigger enrollments_updated_at before update on enrollments for each row execute function set_updated_at();

create table waitlist_entries (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  course_id uuid not null references courses (id) on delete cascade,
  cohort_id uuid not null references cohorts (id) on delete cascade,
  organization_id uuid references organizations (id) on delete set null,
  position integer not null check (position >= 1),
  status text not null default 'waiting' check (status in ('waiting', 'offered', 'enrolled', 'expired', 'declined', 'cancelled')),
  offered_at timestamptz,
  offer_expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (cohort_id, position)
);
create unique index waitlist_entries_active_key on waitlist_entries (cohort_id, user_id) where status in ('waiting', 'offered');
create index waitlist_entries_offers_idx on waitlist_entries (offer_expires_at) where status = 'offered';
create trigger waitlist_entries_updated_at before update on waitlist_entries for each row execute function set_updated_at();

-- Seats offered to the waitlist are held until accepted, declined or expired.
alter table cohorts add column reserved_count integer not null default 0 check (reserved_count >= 0);
alter table cohorts drop constraint cohorts_not_oversold;
alter table cohorts add constraint cohorts_not_oversold check (enrolled_count + reserved_count <= capacity);
