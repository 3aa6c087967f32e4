-- Workflow schedules by cron expression (issue 16 §3): a schedule trigger runs either every N
-- hours or on a cron expression read in the organization's time zone, never both. Versions
-- keep the trigger they were saved with.
alter table workflow_definitions add column schedule_cron text;
alter table workflow_definitions drop constraint workflow_definitions_check1;
alter table workflow_definitions add constraint workflow_definitions_schedule_check
  check (trigger_type <> 'schedule' or (schedule_every_hours is null) <> (schedule_cron is null));
alter table workflow_definition_versions add column schedule_cron text;
