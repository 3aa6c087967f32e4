-- Organization security settings (issue 16 §6, seed 004 13.4.11): two-step sign-in with
-- time-based one-time codes (RFC 6238) and recovery codes, and per-organization rules: MFA
-- required, an idle session timeout, an IP allow-list for people and a password policy
-- stricter than the platform's.

-- A person's authenticator secret, sealed with the deployment's SecretBox. `confirmed_at` is
-- null while enrollment waits for the first valid code; `last_step` is the last accepted time
-- step, so a code is accepted once.
create table user_mfa (
  user_id uuid primary key references users (id) on delete cascade,
  secret_sealed text not null,
  confirmed_at timestamptz,
  last_step bigint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Ten single-use recovery codes per person, stored as SHA-256 hashes.
create table user_mfa_recovery_codes (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  code_hash text not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index user_mfa_recovery_codes_user_idx on user_mfa_recovery_codes (user_id);

-- The step between a correct password and a session: a short-lived token, no session yet.
create table mfa_challenges (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  token_hash text not null unique,
  transport text not null check (transport in ('bearer', 'cookie')),
  failed_attempts integer not null default 0,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index mfa_challenges_expires_idx on mfa_challenges (expires_at);

-- When the session's owner proved a second factor (sign-in with a code, or confirming
-- enrollment in it); null for sessions signed in with the password alone.
alter table user_sessions add column mfa_verified_at timestamptz;

-- Earlier password hashes, for "no reuse of the last N passwords".
create table password_history (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  password_hash text not null,
  created_at timestamptz not null default now()
);
create index password_history_user_idx on password_history (user_id, created_at desc);

create table organization_security_settings (
  organization_id uuid primary key references organizations (id) on delete cascade,
  mfa_required boolean not null default false,
  session_timeout_minutes integer check (session_timeout_minutes is null or session_timeout_minutes > 0),
  ip_allow_list text[] not null default '{}',
  password_policy jsonb not null default '{}',
  updated_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- When a session last acted in an organization with an idle timeout.
create table session_organization_activity (
  session_id uuid not null references user_sessions (id) on delete cascade,
  organization_id uuid not null references organizations (id) on delete cascade,
  last_seen_at timestamptz not null,
  primary key (session_id, organization_id)
);
