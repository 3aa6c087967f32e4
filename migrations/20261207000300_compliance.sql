-- Required training and recertification (issue 16 §1, seed 004 13.4.6 and 13.4.11).

alter table organization_members add column hire_date date;
alter table organization_members add column location text;
create index organization_members_location_idx on organization_members (organization_id, location) where location is not null;

-- What an organization must prove: the regulation, the course that satisfies it, and how
-- often it must be taken again.
create table compliance_requirements (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  name text not null,
  code text,
  description text,
  compliance_type text not null default 'industry-standards' check (compliance_type in (
    'scorm', 'aicc', 'xapi', 'lti', 'gdpr', 'industry-standards', 'educational-compliance',
    'accessibility-standards', 'data-privacy')),
  jurisdiction text not null,
  requirements text,
  certification_requirements text,
  audit_frequency text not null default 'annually' check (audit_frequency in (
    'daily', 'weekly', 'monthly', 'quarterly', 'annually')),
  retention_days integer check (retention_days > 0),
  is_active boolean not null default true,
  course_id uuid not null references courses (id),
  due_days integer not null default 30 check (due_days >= 0),
  recurrence_months integer check (recurrence_months > 0),
  recertification_window_days integer not null default 30 check (recertification_window_days >= 0),
  reminder_offsets_days integer[] not null default '{14,7,1}',
  overdue_reminder_days integer not null default 7 check (overdue_reminder_days > 0),
  manager_escalation_days integer check (manager_escalation_days >= 0),
  officer_escalation_days integer check (officer_escalation_days >= 0),
  compliance_officer_user_id uuid references users (id) on delete set null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index compliance_requirements_org_idx on compliance_requirements (organization_id);
create trigger compliance_requirements_updated_at before update on compliance_requirements for each row execute function set_updated_at();

-- Who must meet a requirement, and from when its due date counts.
create table compliance_rules (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  requirement_id uuid not null references compliance_requirements (id) on delete cascade,
  scope text not null check (scope in ('everyone', 'department', 'team', 'role', 'location', 'hire-date')),
  department_id uuid references departments (id) on delete cascade,
  team_id uuid references teams (id) on delete cascade,
  role_key text,
  location text,
  hired_from date,
  hired_to date,
  trigger text not null default 'hire-date' check (trigger in ('hire-date', 'join-date', 'fixed-date')),
  fixed_date date,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (scope <> 'department' or department_id is not null),
  check (scope <> 'team' or team_id is not null),
  check (scope <> 'role' or role_key is not null),
  check (scope <> 'location' or location is not null),
  check (scope <> 'hire-date' or hired_from is not null or hired_to is not null),
  check (trigger <> 'fixed-date' or fixed_date is not null)
);
create index compliance_rules_requirement_idx on compliance_rules (requirement_id);
create index compliance_rules_org_idx on compliance_rules (organization_id);
create trigger compliance_rules_updated_at before update on compliance_rules for each row execute function set_updated_at();

-- One cycle of one person's obligation; recertification chains cycles through
-- previous_assignment_id.
create table compliance_assignments (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  requirement_id uuid not null references compliance_requirements (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  rule_id uuid references compliance_rules (id) on delete set null,
  enrollment_id uuid references enrollments (id) on delete set null,
  cycle integer not null default 1 check (cycle > 0),
  previous_assignment_id uuid references compliance_assignments (id) on delete set null,
  assigned_at timestamptz not null,
  due_at timestamptz not null,
  completed_at timestamptz,
  certificate_id uuid references certificates (id) on delete set null,
  expires_at timestamptz,
  status text not null default 'open' check (status in ('open', 'completed', 'out-of-scope')),
  out_of_scope_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (requirement_id, user_id, cycle)
);
create unique index compliance_assignments_open_key on compliance_assignments (requirement_id, user_id) where status = 'open';
create index compliance_assignments_org_idx on compliance_assignments (organization_id, requirement_id, status);
create index compliance_assignments_user_idx on compliance_assignments (user_id);
create index compliance_assignments_enrollment_idx on compliance_assignments (enrollment_id) where enrollment_id is not null;
create index compliance_assignments_expiry_idx on compliance_assignments (expires_at) where status = 'completed';
create index compliance_assignments_previous_idx on compliance_assignments (previous_assignment_id) where previous_assignment_id is not null;
create trigger compliance_assignments_updated_at before update on compliance_assignments for each row execute function set_updated_at();

-- A person excused from a requirement, by whom and why.
create table compliance_exemptions (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  requirement_id uuid not null references compliance_requirements (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  reason text not null,
  approved_by uuid references users (id) on delete set null,
  expires_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now()
);
create unique index compliance_exemptions_active_key on compliance_exemptions (requirement_id, user_id) where revoked_at is null;
create index compliance_exemptions_org_idx on compliance_exemptions (organization_id);

-- Every reminder and escalation sent; one per assignment, kind and window.
create table compliance_reminders (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  assignment_id uuid not null references compliance_assignments (id) on delete cascade,
  kind text not null check (kind in ('due-soon', 'overdue', 'escalation-manager', 'escalation-officer')),
  reminder_window text not null,
  recipient_user_id uuid references users (id) on delete set null,
  sent_at timestamptz not null,
  unique (assignment_id, kind, reminder_window)
);
create index compliance_reminders_org_idx on compliance_reminders (organization_id, sent_at);
