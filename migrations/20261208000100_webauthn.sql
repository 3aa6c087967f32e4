-- Security keys and passkeys (WebAuthn) as a second factor next to authenticator codes
-- (issue 16 §6). A person may register several; any one satisfies two-step sign-in.

-- One registered credential. `credential_id` and `public_key` are base64url (the public key is
-- the COSE key the authenticator answered); `counter` is the last signature counter seen, so a
-- cloned authenticator that answers an older count is refused.
create table user_webauthn_credentials (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  credential_id text not null unique,
  public_key text not null,
  counter bigint not null default 0,
  transports text[] not null default '{}',
  name text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index user_webauthn_credentials_user_idx on user_webauthn_credentials (user_id);

-- A challenge the server handed out, single use and short-lived: for adding a key (a signed-in
-- person) or for the second step of a sign-in (tied to its mfa_challenges row).
create table webauthn_challenges (
  id uuid primary key default uuid_generate_v7(),
  user_id uuid not null references users (id) on delete cascade,
  purpose text not null check (purpose in ('register', 'authenticate')),
  challenge text not null unique,
  mfa_challenge_id uuid references mfa_challenges (id) on delete cascade,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index webauthn_challenges_expires_idx on webauthn_challenges (expires_at);
