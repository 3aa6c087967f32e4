-- In-app notifications get a priority, a link and an expiry (seed 002 notifications), and
-- each person chooses which kinds reach them in the app and by mail (notification_preferences).

alter table notifications add column priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent'));
alter table notifications add column action_url text;
alter table notifications add column clicked_at timestamptz;
alter table notifications add column expires_at timestamptz;
create index notifications_user_type_idx on notifications (user_id, type);

create table notification_preferences (
  user_id uuid primary key references users (id) on delete cascade,
  email_enabled boolean not null default true,
  in_app_enabled boolean not null default true,
  -- {"<type>": {"email": false, "inApp": true}}: per-kind overrides of the defaults
  preferences jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger notification_preferences_updated_at before update on notification_preferences for each row execute function set_updated_at();
