-- Certificates (seed 002 certificates, seed 001 badgeData): one per completed enrollment, with
-- an Open Badges 2.0 assertion, a stored PDF, expiry and revocation.

create table certificate_settings (
  course_id uuid primary key references courses (id) on delete cascade,
  enabled boolean not null default true,
  validity_days integer check (validity_days is null or validity_days between 1 and 3650),
  title text check (title is null or length(title) between 1 and 200),
  signatory_name text,
  signatory_title text,
  updated_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger certificate_settings_updated_at before update on certificate_settings for each row execute function set_updated_at();

create table certificates (
  id uuid primary key default uuid_generate_v7(),
  certificate_number text not null unique,
  enrollment_id uuid not null references enrollments (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  course_id uuid not null references courses (id) on delete cascade,
  cohort_id uuid references cohorts (id) on delete set null,
  organization_id uuid references organizations (id) on delete set null,
  -- names as printed, kept even if the person or course is renamed later
  recipient_name text not null,
  course_title text not null,
  issuer_name text not null,
  issued_at timestamptz not null,
  expires_at timestamptz,
  badge_data jsonb not null,
  pdf_key text not null,
  revoked_at timestamptz,
  revoked_reason text,
  revoked_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint certificates_revocation check ((revoked_at is null) = (revoked_reason is null))
);
-- One live certificate per enrollment; a revoked one may be followed by a new issue.
create unique index certificates_enrollment_live_key on certificates (enrollment_id) where revoked_at is null;
create index certificates_user_idx on certificates (user_id, issued_at desc);
create index certificates_course_idx on certificates (course_id, issued_at desc);
create trigger certificates_updated_at before update on certificates for each row execute function set_updated_at();
