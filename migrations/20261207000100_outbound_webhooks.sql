-- Outbound webhooks (issue 16 §5, docs/webhooks.md): an organization subscribes addresses to
-- domain events (enrollment created, certificate issued, …); each event is written as one
-- delivery per matching endpoint in the transaction that raised it (an outbox) and sent by the
-- worker, signed, with retries and a log of every answer.

-- An address that receives events. The signing secret is sealed like integration credentials
-- (AES-256-GCM, src/platform/secrets.ts, bound to the endpoint's row). An endpoint with
-- `api_key_id` mirrors an API key's `webhook_url` and `webhook_events` and follows the key.
create table webhook_endpoints (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  url text not null check (length(url) between 1 and 500),
  description text check (length(description) <= 2000),
  event_types text[] not null default '{}',
  secret_sealed text not null,
  secret_key_id text not null,
  status text not null default 'active' check (status in ('active', 'disabled')),
  disabled_reason text check (length(disabled_reason) <= 1000),
  disabled_at timestamptz,
  consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
  failing_since timestamptz,
  last_delivery_at timestamptz,
  api_key_id uuid references api_keys (id) on delete cascade,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint webhook_endpoints_disabled_check check ((status = 'disabled') = (disabled_at is not null))
);
create index webhook_endpoints_organization_idx on webhook_endpoints (organization_id, created_at);
create index webhook_endpoints_active_idx on webhook_endpoints (organization_id) where status = 'active';
create unique index webhook_endpoints_api_key_key on webhook_endpoints (api_key_id) where api_key_id is not null;
create trigger webhook_endpoints_updated_at before update on webhook_endpoints for each row execute function set_updated_at();

-- One event for one endpoint: `pending` until sent, `delivered` on a 2xx answer, `failed`
-- while it waits for its next attempt (`next_attempt_at`), `dead` after the last attempt.
-- The answer is kept as its status, the first 2 KiB of its body and the time it took.
create table webhook_deliveries (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
  event_id uuid not null,
  event_type text not null check (length(event_type) between 1 and 100),
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed', 'dead')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz,
  last_attempt_at timestamptz,
  response_status integer,
  response_body text check (length(response_body) <= 2048),
  duration_ms integer,
  error text check (length(error) <= 2000),
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at desc);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at)
  where status in ('pending', 'failed');
create index webhook_deliveries_organization_idx on webhook_deliveries (organization_id);
create index webhook_deliveries_created_idx on webhook_deliveries (created_at);
create trigger webhook_deliveries_updated_at before update on webhook_deliveries for each row execute function set_updated_at();
