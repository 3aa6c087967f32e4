-- Runs whose records arrive rather than being pulled (issue 15 §2): a file uploaded or found on
-- an SFTP server, deliveries of an inbound webhook. `source` says where a run reads from; the
-- engine is the same. Runs that push Lyceum's records out (the export direction) report people
-- as well as enrollments and completions.
alter table integration_sync_runs
  add column source jsonb,
  drop constraint integration_sync_runs_trigger_check,
  add constraint integration_sync_runs_trigger_check
    check (trigger in ('manual', 'schedule', 'retry', 'upload', 'sftp', 'webhook'));

alter table integration_sync_records
  drop constraint integration_sync_records_entity_check,
  add constraint integration_sync_records_entity_check
    check (entity in ('course', 'enrollment', 'person', 'completion'));

alter table integration_dead_letters
  drop constraint integration_dead_letters_entity_check,
  add constraint integration_dead_letters_entity_check
    check (entity in ('course', 'enrollment', 'person', 'completion'));
