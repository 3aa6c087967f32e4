-- The other ways into a course (seed 002 enrollment_requests and access_codes; seed 001 payments,
-- B2B seat allocation and access windows).

create table enrollment_requests (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  course_id uuid not null references courses (id) on delete cascade,
  cohort_id uuid references cohorts (id) on delete set null,
  organization_id uuid references organizations (id) on delete set null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'withdrawn')),
  reason text,
  reviewed_by uuid references users (id) on delete set null,
  reviewed_at timestamptz,
  review_notes text,
  enrollment_id uuid references enrollments (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index enrollment_requests_pending_key on enrollment_requests (user_id, course_id) where status = 'pending';
create index enrollment_requests_course_idx on enrollment_requests (course_id, status, created_at);
create index enrollment_requests_user_idx on enrollment_requests (user_id, created_at);
create trigger enrollment_requests_updated_at before update on enrollment_requests for each row execute function set_updated_at();

create table access_codes (
  id uuid primary key default uuid_generate_v7(),
  course_id uuid not null references courses (id) on delete cascade,
  cohort_id uuid references cohorts (id) on delete cascade,
  organization_id uuid references organizations (id) on delete cascade,
  code text not null check (code ~ '^[A-Z0-9-]{4,50}$'),
  description text,
  max_uses integer check (max_uses is null or max_uses >= 1),
  used_count integer not null default 0 check (used_count >= 0),
  valid_from timestamptz not null default now(),
  valid_until timestamptz,
  is_active boolean not null default true,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint access_codes_not_overused check (max_uses is null or used_count <= max_uses),
  constraint access_codes_window check (valid_until is null or valid_until > valid_from),
  unique (code)
);
create index access_codes_course_idx on access_codes (course_id);
create trigger access_codes_updated_at before update on access_codes for each row execute function set_updated_at();
alter table enrollments add constraint enrollments_access_code_fk foreign key (access_code_id) references access_codes (id) on delete set null;

-- One row per attempt to pay for a course; the provider's checkout id is the idempotency key.
create table payments (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  course_id uuid not null references courses (id) on delete cascade,
  cohort_id uuid references cohorts (id) on delete set null,
  organization_id uuid references organizations (id) on delete set null,
  enrollment_id uuid references enrollments (id) on delete set null,
  provider text not null check (provider in ('stripe', 'local', 'invoice')),
  checkout_id text,
  checkout_url text,
  payment_reference text,
  invoice_number text unique,
  amount integer not null check (amount >= 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  status text not null default 'pending' check (status in ('pending', 'completed', 'failed', 'expired', 'refunded', 'partially-refunded')),
  refunded_amount integer not null default 0 check (refunded_amount >= 0 and refunded_amount <= amount),
  refund_reference text,
  failure_reason text,
  expires_at timestamptz,
  completed_at timestamptz,
  refunded_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (provider, checkout_id)
);
create index payments_user_idx on payments (user_id, created_at desc);
create index payments_org_idx on payments (organization_id, created_at desc);
create index payments_reference_idx on payments (provider, payment_reference);
create index payments_pending_idx on payments (expires_at) where status = 'pending';
create trigger payments_updated_at before update on payments for each row execute function set_updated_at();

-- Provider webhook events already handled: a redelivered event changes nothing.
create table payment_events (
  id uuid primary key default uuid_generate_v7(),
  provider text not null,
  event_id text not null,
  type text not null,
  payment_id uuid references payments (id) on delete set null,
  outcome text not null,
  received_at timestamptz not null default now(),
  unique (provider, event_id)
);

-- Seats an organization bought in a course (seed 001 B2B seat allocation); assignments to a paid
-- course use one each.
create table course_seat_allocations (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  course_id uuid not null references courses (id) on delete cascade,
  seats_purchased integer not null check (seats_purchased >= 0),
  seats_used integer not null default 0 check (seats_used >= 0),
  unit_price integer check (unit_price is null or unit_price >= 0),
  currency text,
  invoice_reference text,
  valid_until timestamptz,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint course_seats_not_oversold check (seats_used <= seats_purchased),
  unique (organization_id, course_id)
);
create trigger course_seat_allocations_updated_at before update on course_seat_allocations for each row execute function set_updated_at();

alter table enrollments add column seat_allocation_id uuid references course_seat_allocations (id) on delete set null;
alter table enrollments add column payment_id uuid references payments (id) on delete set null;
-- Seed 001 access windows after a cohort ends: office hours and the course chatbot for 90 days
-- (materials for a year are access_expires_at).
alter table enrollments add column office_hours_until timestamptz;
alter table enrollments add column chatbot_access_until timestamptz;
create index enrollments_access_expiry_idx on enrollments (access_expires_at) where status in ('active', 'suspended');
