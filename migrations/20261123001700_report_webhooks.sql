-- Report completion webhooks (seed 000 §3.1.1 notifications, §3.1.3 notifyChannels.webhook): a
-- job, or a schedule for the jobs it queues, may name a URL told of the result, signed with a
-- secret the caller chose.

alter table report_jobs add column webhook_url text;
alter table report_jobs add column webhook_secret text;
alter table report_schedules add column webhook_url text;
alter table report_schedules add column webhook_secret text;
