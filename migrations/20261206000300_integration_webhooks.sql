-- Inbound webhooks (issue 15 §2): an external system pushes its learning records to
-- `POST /api/v1/integration-webhooks/{integrationId}`, signed with a secret per integration
-- (HMAC-SHA256 over the timestamp and the raw body, docs/integrations.md).

-- The signing secret of an integration, sealed like its credentials (AES-256-GCM,
-- src/platform/secrets.ts, bound to the integration's row, with the key id for rotation of the
-- deployment secret). After the secret is rotated the previous one is still accepted until
-- `previous_expires_at`, so the sender can switch without losing a delivery.
create table integration_webhook_secrets (
  integration_id uuid primary key references lms_integrations (id) on delete cascade,
  organization_id uuid not null references organizations (id) on delete cascade,
  secret_sealed text not null,
  secret_key_id text not null,
  previous_sealed text,
  previous_key_id text,
  previous_expires_at timestamptz,
  rotated_at timestamptz not null,
  rotated_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint integration_webhook_secrets_previous_check check (
    (previous_sealed is null) = (previous_key_id is null)
    and (previous_sealed is null) = (previous_expires_at is null)
  )
);
create index integration_webhook_secrets_organization_idx
  on integration_webhook_secrets (organization_id);
create index integration_webhook_secrets_key_idx on integration_webhook_secrets (secret_key_id);

-- One delivery as it arrived. The sender's delivery id is unique per integration: a delivery
-- sent again is answered with the first one's result and never processed twice. A delivery is
-- `received`, then read by a sync run (`run_id`) and ends `processed` or `failed`.
create table integration_webhook_deliveries (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  integration_id uuid not null references lms_integrations (id) on delete cascade,
  delivery_id text not null check (length(delivery_id) between 1 and 200),
  event_type text not null check (length(event_type) between 1 and 100),
  occurred_at timestamptz,
  received_at timestamptz not null,
  status text not null default 'received' check (status in ('received', 'processed', 'failed')),
  payload jsonb not null,
  size_bytes integer not null check (size_bytes >= 0),
  course_count integer not null default 0,
  enrollment_count integer not null default 0,
  run_id uuid references integration_sync_runs (id) on delete set null,
  error text check (length(error) <= 4000),
  processed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index integration_webhook_deliveries_delivery_key
  on integration_webhook_deliveries (integration_id, delivery_id);
create index integration_webhook_deliveries_integration_idx
  on integration_webhook_deliveries (integration_id, received_at desc);
create index integration_webhook_deliveries_pending_idx
  on integration_webhook_deliveries (integration_id) where status = 'received';
create index integration_webhook_deliveries_organization_idx
  on integration_webhook_deliveries (organization_id);
create index integration_webhook_deliveries_run_idx
  on integration_webhook_deliveries (run_id) where run_id is not null;
