-- Report jobs (seed 000 §3.1.1, §4.1.1): a report definition queued by priority, run by workers
-- under a lease, with its progress, metrics and output file.

create table report_jobs (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  created_by uuid references users (id) on delete set null,
  name text not null check (length(name) between 1 and 200),
  report_type text not null default 'custom',
  definition jsonb not null,
  output_format text not null check (output_format in ('csv', 'json', 'excel', 'pdf')),
  status text not null default 'queued' check (status in ('pending', 'queued', 'processing', 'ready', 'failed', 'cancelled', 'expired')),
  priority text not null default 'normal' check (priority in ('critical', 'high', 'normal', 'low', 'scheduled')),
  -- critical 5 … scheduled 1: workers take the highest first, oldest first within it.
  priority_rank integer not null,
  progress integer not null default 0 check (progress between 0 and 100),
  attempts integer not null default 0,
  max_retries integer not null default 3 check (max_retries between 0 and 10),
  cancel_requested boolean not null default false,
  locked_by text,
  lease_expires_at timestamptz,
  queued_at timestamptz not null,
  started_at timestamptz,
  finished_at timestamptz,
  error_code text,
  error_message text,
  retryable boolean,
  file_key text,
  file_name text,
  content_type text,
  file_size bigint,
  file_checksum text,
  row_count integer,
  metrics jsonb not null default '{}',
  download_count integer not null default 0,
  last_downloaded_at timestamptz,
  expires_at timestamptz,
  duplicated_from uuid references report_jobs (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index report_jobs_queue_idx on report_jobs (priority_rank desc, queued_at) where status = 'queued';
create index report_jobs_lease_idx on report_jobs (lease_expires_at) where status = 'processing';
create index report_jobs_org_idx on report_jobs (organization_id, created_at desc);
create index report_jobs_creator_idx on report_jobs (created_by, created_at desc);
create index report_jobs_expiry_idx on report_jobs (expires_at) where status = 'ready';
create trigger report_jobs_updated_at before update on report_jobs for each row execute function set_updated_at();
