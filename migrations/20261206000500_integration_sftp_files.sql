-- Files picked up from an integration's SFTP server (issue 15 §2): `remote_name` is the file's
-- name in the server's import directory (the key that keeps a file from being imported twice
-- while it is still there); once the file's run has ended its result file is written to the
-- results directory and the file moved to the processed one: `delivered_at` says when,
-- `delivery_error` why the last attempt did not get through (it is tried again at each poll).
alter table integration_file_imports
  add column remote_name text check (length(remote_name) between 1 and 300),
  add column delivered_at timestamptz,
  add column delivery_error text check (length(delivery_error) <= 2000);
create index integration_file_imports_undelivered
  on integration_file_imports (integration_id, created_at)
  where origin = 'sftp' and delivered_at is null;
