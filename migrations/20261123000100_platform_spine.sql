-- Platform spine: identity, organizations, access control, API keys, audit, mail, jobs, files.
-- Conventions: UUID v7 keys, timestamptz, snake_case, kebab-case enum values.

create or replace function uuid_generate_v7() returns uuid as $$
declare
  ts bytea := substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3);
  bytes bytea := uuid_send(gen_random_uuid());
begin
  bytes := overlay(bytes placing ts from 1 for 6);
  bytes := set_byte(bytes, 6, (get_byte(bytes, 6) & 15) | 112);
  bytes := set_byte(bytes, 8, (get_byte(bytes, 8) & 63) | 128);
  return encode(bytes, 'hex')::uuid;
end
$$ language plpgsql volatile;

create or replace function set_updated_at() returns trigger as $$
begin
  new.updated_at := now();
  return new;
end
$$ language plpgsql;

-- Organizations -----------------------------------------------------------------------------
create table organizations (
  id uuid primary key default uuid_generate_v7(),
  name text not null check (length(name) between 1 and 200),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  domain text check (domain is null or domain = lower(domain)),
  auto_join boolean not null default false,
  auto_join_role text not null default 'learner',
  contact_email text,
  contact_name text,
  status text not null default 'active' check (status in ('pending-payment', 'active', 'suspended')),
  seats_purchased integer check (seats_purchased is null or seats_purchased >= 0),
  seats_used integer not null default 0 check (seats_used >= 0),
  timezone text not null default 'UTC',
  locale text not null default 'en',
  stripe_customer_id text,
  stripe_invoice_id text,
  settings jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  constraint organizations_seats_within_purchase check (seats_purchased is null or seats_used <= seats_purchased)
);
create unique index organizations_domain_key on organizations (domain) where domain is not null and deleted_at is null;
create index organizations_status_idx on organizations (status);
create trigger organizations_updated_at before update on organizations for each row execute function set_updated_at();

-- Users -------------------------------------------------------------------------------------
create table users (
  id uuid primary key default uuid_generate_v7(),
  email text not null unique check (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  email_verified boolean not null default false,
  email_verified_at timestamptz,
  pending_email text check (pending_email is null or pending_email = lower(pending_email)),
  password_hash text,
  first_name text not null check (length(first_name) between 1 and 100),
  last_name text not null check (length(last_name) between 1 and 100),
  display_name text,
  avatar_file_id uuid,
  bio text,
  phone text,
  date_of_birth date,
  gender text,
  country text check (country is null or country ~ '^[A-Z]{2}$'),
  timezone text not null default 'UTC',
  preferred_language text not null default 'en',
  status text not null default 'active' check (status in ('active', 'suspended', 'deactivated')),
  suspended_at timestamptz,
  suspended_reason text,
  last_login_at timestamptz,
  login_count integer not null default 0,
  failed_login_attempts integer not null default 0,
  locked_until timestamptz,
  password_changed_at timestamptz,
  must_change_password boolean not null default false,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index users_status_idx on users (status, deleted_at);
create index users_created_idx on users (created_at);
create index users_name_idx on users (lower(last_name), lower(first_name));
create trigger users_updated_at before update on users for each row execute function set_updated_at();

create table email_verifications (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  email text not null,
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index email_verifications_user_idx on email_verifications (user_id);

create table user_sessions (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  transport text not null default 'bearer' check (transport in ('bearer', 'cookie')),
  device_name text,
  device_type text check (device_type is null or device_type in ('mobile', 'desktop', 'tablet', 'bot', 'other')),
  browser text,
  browser_version text,
  os text,
  os_version text,
  ip_address text,
  user_agent text,
  location jsonb,
  last_accessed_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text,
  created_at timestamptz not null default now()
);
create index user_sessions_user_idx on user_sessions (user_id, revoked_at);
create index user_sessions_expires_idx on user_sessions (expires_at);

create table refresh_tokens (
  id uuid primary key default uuid_generate_v7(),
  session_id uuid not null references user_sessions (id) on delete cascade,
  token_hash text not null unique,
  expires_at timestamptz not null,
  rotated_at timestamptz,
  created_at timestamptz not null default now()
);
create index refresh_tokens_session_idx on refresh_tokens (session_id);

create table password_resets (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  requested_ip text,
  created_at timestamptz not null default now()
);
create index password_resets_user_idx on password_resets (user_id);

-- Organization structure ----------------------------------------------------------------------
create table departments (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  code text,
  description text,
  parent_id uuid references departments (id) on delete set null,
  head_user_id uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, name),
  unique (organization_id, id)
);
create trigger departments_updated_at before update on departments for each row execute function set_updated_at();

create table teams (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  department_id uuid,
  name text not null check (length(name) between 1 and 200),
  description text,
  manager_user_id uuid references users (id) on delete set null,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, name),
  unique (organization_id, id),
  foreign key (organization_id, department_id) references departments (organization_id, id) on delete set null (department_id)
);
create trigger teams_updated_at before update on teams for each row execute function set_updated_at();

create table organization_members (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  status text not null default 'active' check (status in ('active', 'suspended')),
  department_id uuid,
  title text,
  employee_id text,
  manager_user_id uuid references users (id) on delete set null,
  source text not null default 'admin' check (source in ('admin', 'invite', 'domain', 'seed', 'integration')),
  joined_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, user_id),
  foreign key (organization_id, department_id) references departments (organization_id, id) on delete set null (department_id)
);
create index organization_members_user_idx on organization_members (user_id);
create index organization_members_department_idx on organization_members (organization_id, department_id);
create trigger organization_members_updated_at before update on organization_members for each row execute function set_updated_at();

create table team_members (
  team_id uuid not null references teams (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  organization_id uuid not null references organizations (id) on delete cascade,
  role text not null default 'member' check (role in ('member', 'lead')),
  joined_at timestamptz not null default now(),
  primary key (team_id, user_id)
);
create index team_members_user_idx on team_members (user_id);

create table organization_invites (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  email text not null check (email = lower(email)),
  token_hash text not null unique,
  role_key text not null default 'learner',
  department_id uuid,
  team_id uuid,
  cohort_id uuid,
  message text,
  status text not null default 'pending' check (status in ('pending', 'accepted', 'expired', 'revoked')),
  expires_at timestamptz not null,
  invited_by uuid references users (id) on delete set null,
  accepted_at timestamptz,
  accepted_user_id uuid references users (id) on delete set null,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  foreign key (organization_id, department_id) references departments (organization_id, id) on delete set null (department_id),
  foreign key (organization_id, team_id) references teams (organization_id, id) on delete set null (team_id)
);
create index organization_invites_org_idx on organization_invites (organization_id, status);
create unique index organization_invites_pending_email_key on organization_invites (organization_id, email) where status = 'pending';

-- Access control ----------------------------------------------------------------------------
create table permissions (
  key text primary key check (key ~ '^[a-z-]+:[a-z-]+:(own|assigned|team|department|organization|all)$'),
  resource text not null,
  action text not null,
  scope text not null,
  description text not null,
  created_at timestamptz not null default now()
);

create table roles (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid references organizations (id) on delete cascade,
  key text not null check (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null,
  description text,
  is_system boolean not null default false,
  data_access_level text not null default 'own' check (data_access_level in ('all', 'organization', 'department', 'team', 'own', 'none')),
  priority integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique nulls not distinct (organization_id, key)
);
create trigger roles_updated_at before update on roles for each row execute function set_updated_at();

create table role_permissions (
  role_id uuid not null references roles (id) on delete cascade,
  permission_key text not null references permissions (key) on delete cascade,
  granted_at timestamptz not null default now(),
  granted_by uuid references users (id) on delete set null,
  primary key (role_id, permission_key)
);

create table user_roles (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  role_id uuid not null references roles (id) on delete cascade,
  organization_id uuid references organizations (id) on delete cascade,
  department_id uuid references departments (id) on delete cascade,
  team_id uuid references teams (id) on delete cascade,
  assigned_by uuid references users (id) on delete set null,
  assigned_at timestamptz not null default now(),
  expires_at timestamptz,
  unique (user_id, role_id)
);
create index user_roles_user_idx on user_roles (user_id);
create index user_roles_org_idx on user_roles (organization_id, role_id);

create table api_keys (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  description text,
  key_prefix text not null,
  key_hash text not null unique,
  scopes text[] not null default '{}',
  access_level text not null default 'read-only' check (access_level in ('read-only', 'read-write', 'admin', 'full-access')),
  api_version text not null default 'v1',
  rate_limit_per_hour integer not null default 1000 check (rate_limit_per_hour > 0),
  rate_limit_per_day integer not null default 10000 check (rate_limit_per_day > 0),
  allowed_methods text[] not null default '{}',
  allowed_ips text[] not null default '{}',
  webhook_url text,
  webhook_events text[] not null default '{}',
  is_active boolean not null default true,
  is_internal boolean not null default false,
  expires_at timestamptz,
  created_by uuid references users (id) on delete set null,
  last_used_at timestamptz,
  last_used_ip text,
  usage_count bigint not null default 0 check (usage_count >= 0),
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index api_keys_org_idx on api_keys (organization_id);
create trigger api_keys_updated_at before update on api_keys for each row execute function set_updated_at();

create table api_key_usage (
  api_key_id uuid not null references api_keys (id) on delete cascade,
  window_kind text not null check (window_kind in ('hour', 'day')),
  window_start timestamptz not null,
  count integer not null default 0,
  primary key (api_key_id, window_kind, window_start)
);

-- Audit and logs ----------------------------------------------------------------------------
create table audit_logs (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid references organizations (id) on delete set null,
  actor_type text not null check (actor_type in ('user', 'api-key', 'system')),
  actor_user_id uuid references users (id) on delete set null,
  actor_api_key_id uuid references api_keys (id) on delete set null,
  action text not null,
  entity_type text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  ip_address text,
  user_agent text,
  request_id text,
  created_at timestamptz not null default now()
);
create index audit_logs_org_idx on audit_logs (organization_id, created_at desc);
create index audit_logs_entity_idx on audit_logs (entity_type, entity_id);
create index audit_logs_actor_idx on audit_logs (actor_user_id, created_at desc);

create table system_logs (
  id uuid primary key default uuid_generate_v7(),
  level text not null default 'info' check (level in ('debug', 'info', 'warn', 'error')),
  event text not null,
  user_id uuid references users (id) on delete set null,
  organization_id uuid references organizations (id) on delete set null,
  ip_address text,
  user_agent text,
  request_id text,
  request_method text,
  request_path text,
  response_status integer,
  message text,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index system_logs_event_idx on system_logs (event, created_at desc);
create index system_logs_user_idx on system_logs (user_id, created_at desc);
create index system_logs_created_idx on system_logs (created_at desc);

-- Files, mail, jobs -----------------------------------------------------------------------------
create table file_uploads (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid references organizations (id) on delete set null,
  uploaded_by uuid references users (id) on delete set null,
  purpose text not null,
  file_name text not null,
  file_size bigint not null check (file_size >= 0),
  mime_type text not null,
  storage_provider text not null default 'local',
  storage_key text not null,
  checksum_sha256 text not null,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index file_uploads_uploader_idx on file_uploads (uploaded_by);

alter table users add constraint users_avatar_file_fk foreign key (avatar_file_id) references file_uploads (id) on delete set null;

create table mail_outbox (
  id uuid primary key default uuid_generate_v7(),
  to_address text not null,
  subject text not null,
  text_body text not null,
  html_body text,
  template text not null,
  user_id uuid references users (id) on delete set null,
  organization_id uuid references organizations (id) on delete set null,
  status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  provider text,
  provider_message_id text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index mail_outbox_pending_idx on mail_outbox (next_attempt_at) where status = 'queued';
create index mail_outbox_created_idx on mail_outbox (created_at desc);

create table jobs (
  id uuid primary key default uuid_generate_v7(),
  name text not null,
  payload jsonb not null default '{}',
  status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed', 'cancelled')),
  priority integer not null default 0,
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 3,
  lease_expires_at timestamptz,
  locked_by text,
  last_error text,
  result jsonb,
  dedupe_key text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now()
);
create index jobs_ready_idx on jobs (priority desc, run_at) where status = 'queued';
create index jobs_lease_idx on jobs (lease_expires_at) where status = 'running';
create unique index jobs_dedupe_key on jobs (dedupe_key) where dedupe_key is not null and status in ('queued', 'running');
create trigger jobs_updated_at before update on jobs for each row execute function set_updated_at();

create table notifications (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  organization_id uuid references organizations (id) on delete cascade,
  type text not null,
  title text not null,
  body text,
  data jsonb not null default '{}',
  read_at timestamptz,
  created_at timestamptz not null default now()
);
create index notifications_user_idx on notifications (user_id, created_at desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;
