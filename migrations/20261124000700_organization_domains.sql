-- Verified email domains (issue 11): an organization proves it owns a domain by publishing a
-- DNS TXT record (or the platform administrator vouches for it) before the domain lets it
-- take people in without an invitation. Many organizations may claim a domain; only one may
-- hold it verified.
create table organization_domains (
  id uuid primary key default uuid_generate_v7(),
  organization_id uuid not null references organizations (id) on delete cascade,
  domain text not null check (domain = lower(domain) and length(domain) between 3 and 253),
  -- The value to publish is `lyceum-verification=<token>` at `_lyceum-challenge.<domain>`.
  verification_token text not null,
  status text not null default 'pending' check (status in ('pending', 'verified')),
  -- How it was verified: the DNS record, or the platform administrator's word.
  verification_method text check (verification_method in ('dns', 'platform')),
  verified_at timestamptz,
  verified_by uuid references users (id) on delete set null,
  last_checked_at timestamptz,
  -- Set by the periodic re-check when a verified domain's record has gone; the domain stays
  -- verified (members are never dropped by it) until an administrator acts.
  record_missing_since timestamptz,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint organization_domains_verified_has_time check (status = 'pending' or verified_at is not null)
);
create unique index organization_domains_org_domain_key on organization_domains (organization_id, domain);
create unique index organization_domains_verified_key on organization_domains (domain) where status = 'verified';

-- The free-text domain nothing verified becomes a pending claim of its organization, with a
-- fresh token; auto-join stays as it was set but applies only once a domain is verified.
insert into organization_domains (organization_id, domain, verification_token, created_at)
select id, domain, replace(gen_random_uuid()::text, '-', ''), now()
from organizations
where domain is not null and deleted_at is null;

drop index organizations_domain_key;
alter table organizations drop column domain;
