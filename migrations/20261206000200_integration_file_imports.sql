-- File imports (issue 15 §2): a CSV or XLSX of enrollments and completions, uploaded or found
-- on an SFTP server, stored as it came, mapped column by column to Lyceum's fields, then read
-- by a sync run (its `source` is `{kind: "file", fileImportId}`). `columns` are the file's
-- header names, `samples` the first data rows as text (shown beside the mapping step);
-- `column_mapping` is `{field: column}` as last saved; `run_id` is the file's
-- latest run (a dry run may come before the real one); `result_key` is the per-row result file,
-- stored once that run has ended.
create table integration_file_imports (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  integration_id uuid not null references lms_integrations (id) on delete cascade,
  file_name text not null check (length(file_name) between 1 and 300),
  format text not null check (format in ('csv', 'xlsx')),
  size_bytes integer not null check (size_bytes >= 0),
  storage_key text not null check (length(storage_key) <= 500),
  origin text not null default 'upload' check (origin in ('upload', 'sftp')),
  status text not null default 'awaiting-mapping'
    check (status in ('awaiting-mapping', 'queued', 'processing', 'done', 'failed')),
  columns jsonb not null default '[]',
  row_count integer not null default 0 check (row_count >= 0),
  samples jsonb not null default '[]',
  column_mapping jsonb,
  run_id uuid references integration_sync_runs (id) on delete set null,
  result_key text check (length(result_key) <= 500),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index integration_file_imports_integration
  on integration_file_imports (integration_id, created_at desc);
create index integration_file_imports_organization on integration_file_imports (organization_id);
