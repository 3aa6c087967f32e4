-- Notification templates and their delivery log (issue 16 §2; seed 004 13.4.8
-- lms_notification_template, lms_notification_log).
--
-- A template is one version of the texts of one notification type on one channel in one
-- language. organization_id null marks a system template; an organization's own template
-- overrides the system one. The built-in texts live in code
-- (src/modules/notifications/builtin-templates.ts) and are used whenever no active row
-- exists, so a fresh and an upgraded database both have them without a seed; rows here are
-- the versions people wrote. A new version starts as a draft, is submitted, and goes live
-- only when a different person approves it; the version it replaces is retired.
create table notification_templates (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid references organizations (id) on delete cascade,
  type text not null check (type ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(type) <= 100),
  channel text not null check (channel in ('email', 'in-app', 'sms', 'push')),
  language text not null check (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  version integer not null check (version > 0),
  status text not null default 'draft'
    check (status in ('draft', 'pending-approval', 'active', 'retired')),
  subject text not null check (length(subject) <= 500),
  body text not null check (length(body) <= 20000),
  created_by uuid references users (id) on delete set null,
  submitted_by uuid references users (id) on delete set null,
  submitted_at timestamptz,
  approved_by uuid references users (id) on delete set null,
  approved_at timestamptz,
  rejected_by uuid references users (id) on delete set null,
  rejected_at timestamptz,
  rejection_reason text check (length(rejection_reason) <= 2000),
  retired_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index notification_templates_version_key on notification_templates (
  coalesce(organization_id, '00000000-0000-0000-0000-000000000000'::uuid),
  type, channel, language, version
);
-- One live version per organization (or the system), type, channel and language.
create unique index notification_templates_active_key on notification_templates (
  coalesce(organization_id, '00000000-0000-0000-0000-000000000000'::uuid),
  type, channel, language
) where status = 'active';
create index notification_templates_org_idx on notification_templates (organization_id, type);

-- Per organization: whether mails carry an open pixel and tracked links.
create table notification_settings (
  organization_id uuid primary key references organizations (id) on delete cascade,
  tracking_enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One row per message and channel. template_version 0 is the built-in text.
create table notification_deliveries (
  id uuid primary key default uuid_generate_v7(),
  notification_id uuid references notifications (id) on delete set null,
  user_id uuid not null references users (id) on delete cascade,
  organization_id uuid references organizations (id) on delete cascade,
  type text not null,
  channel text not null check (channel in ('email', 'in-app', 'sms', 'push')),
  language text not null,
  template_id uuid references notification_templates (id) on delete set null,
  template_version integer not null default 0,
  status text not null default 'queued'
    check (status in ('held', 'queued', 'sent', 'failed', 'bounced', 'opened', 'clicked')),
  reason text check (length(reason) <= 2000),
  retries integer not null default 0 check (retries >= 0),
  mail_outbox_id uuid references mail_outbox (id) on delete set null,
  tracking_token text unique,
  provider_message_id text,
  queued_at timestamptz not null default now(),
  sent_at timestamptz,
  failed_at timestamptz,
  bounced_at timestamptz,
  opened_at timestamptz,
  clicked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index notification_deliveries_org_idx
  on notification_deliveries (organization_id, created_at desc);
create index notification_deliveries_user_idx on notification_deliveries (user_id, created_at desc);
create index notification_deliveries_outbox_idx
  on notification_deliveries (mail_outbox_id) where mail_outbox_id is not null;

-- Digests: a person's overall choice (per type in preferences' JSON); held messages wait
-- in notification_digest_items until the digest job sends one summary per person and period.
alter table notification_preferences
  add column digest text not null default 'immediate'
    check (digest in ('immediate', 'daily', 'weekly'));

create table notification_digest_items (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  organization_id uuid references organizations (id) on delete cascade,
  delivery_id uuid references notification_deliveries (id) on delete set null,
  type text not null,
  frequency text not null check (frequency in ('daily', 'weekly')),
  subject text not null,
  body text not null,
  action_path text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index notification_digest_items_pending_idx
  on notification_digest_items (user_id, frequency) where sent_at is null;
