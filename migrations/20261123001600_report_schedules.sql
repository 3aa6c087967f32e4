-- Report schedules (seed 000 §3.1.3): a template run on a calendar, in an IANA time zone.

create table report_schedules (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  template_id uuid not null references report_templates (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  description text,
  frequency text not null check (frequency in ('once', 'daily', 'weekly', 'biweekly', 'monthly', 'quarterly', 'yearly', 'cron')),
  cron_expression text,
  timezone text not null,
  day_of_week integer check (day_of_week between 0 and 6),
  day_of_month integer check (day_of_month between 1 and 31),
  month_of_year integer check (month_of_year between 1 and 12),
  time_of_day text not null default '08:00' check (time_of_day ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  start_date timestamptz,
  end_date timestamptz,
  filter_overrides jsonb not null default '{}',
  output_format text not null default 'csv' check (output_format in ('csv', 'json', 'excel', 'pdf')),
  is_active boolean not null default true,
  next_run_at timestamptz,
  last_run_at timestamptz,
  last_run_job_id uuid references report_jobs (id) on delete set null,
  last_run_status text check (last_run_status in ('success', 'failed')),
  run_count integer not null default 0,
  failure_count integer not null default 0,
  consecutive_failures integer not null default 0,
  notify_on_complete boolean not null default false,
  notify_on_failure boolean not null default true,
  visibility text not null default 'private' check (visibility in ('private', 'team', 'department', 'organization')),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  constraint report_schedules_window check (end_date is null or start_date is null or end_date > start_date),
  constraint report_schedules_cron check ((frequency = 'cron') = (cron_expression is not null))
);
create index report_schedules_due_idx on report_schedules (next_run_at) where is_active and deleted_at is null;
create index report_schedules_org_idx on report_schedules (organization_id) where deleted_at is null;
create trigger report_schedules_updated_at before update on report_schedules for each row execute function set_updated_at();

alter table report_jobs add column schedule_id uuid references report_schedules (id) on delete set null;
