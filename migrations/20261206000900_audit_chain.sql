-- A tamper-evident audit trail (issue 16 §4; seed 004 lms_audit_trail). Every record is sealed
-- into a chain per organization (platform records, without one, form a chain of their own):
-- its hash covers its content and the hash of the record before it, so changing or removing
-- a sealed record breaks every hash after it. Records are sealed shortly after they are
-- written, by a single sealer in the order it finds them (chain_seq), which keeps writes free
-- of a per-organization lock.
alter table audit_logs
  add column justification text check (length(justification) <= 2000),
  add column risk_level text check (risk_level in ('low', 'medium', 'high', 'critical')),
  add column data_sensitivity text check (data_sensitivity in (
    'public', 'internal', 'confidential', 'restricted', 'pii', 'learning-data'
  )),
  add column regulatory_impact text check (regulatory_impact in (
    'none', 'gdpr', 'industry-standards', 'company-policy', 'educational-compliance'
  )),
  add column chain_seq bigint,
  add column prev_hash text,
  add column hash text,
  add column sealed_at timestamptz;

create unique index audit_logs_chain_key on audit_logs (
  coalesce(organization_id, '00000000-0000-0000-0000-000000000000'::uuid), chain_seq
) where chain_seq is not null;
create index audit_logs_unsealed_idx on audit_logs (id) where hash is null;
create index audit_logs_risk_idx on audit_logs (organization_id, risk_level, created_at desc)
  where risk_level is not null;

-- The last sealed record of each chain: where the next seal goes on.
create table audit_chain_heads (
  chain_key uuid primary key,
  seq bigint not null,
  hash text not null,
  updated_at timestamptz not null default now()
);
