-- Report templates (seed 000 §3.1.2): saved definitions with visibility, sharing, usage and
-- versions. Global system templates (organization_id null) are the predefined report types.

create table report_templates (
  id uuid primary key default uuid_generate_v7(),
  -- Every version of one template shares the first version's id.
  family_id uuid not null,
  organization_id uuid references organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  description text,
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  report_type text not null check (report_type in ('predefined', 'custom')),
  predefined_type text,
  definition jsonb not null,
  default_output_format text not null default 'csv' check (default_output_format in ('csv', 'json', 'excel', 'pdf')),
  category text not null default 'general',
  tags text[] not null default '{}',
  icon text,
  color text,
  is_system boolean not null default false,
  visibility text not null default 'private' check (visibility in ('private', 'team', 'department', 'organization', 'global')),
  department_id uuid references departments (id) on delete set null,
  team_id uuid references teams (id) on delete set null,
  shared_with text[] not null default '{}',
  required_permissions text[] not null default '{}',
  usage_count integer not null default 0,
  last_used_at timestamptz,
  last_used_by uuid references users (id) on delete set null,
  version integer not null default 1,
  previous_version_id uuid references report_templates (id) on delete set null,
  is_latest boolean not null default true,
  created_by uuid references users (id) on delete set null,
  updated_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  constraint report_templates_global check (visibility <> 'global' or organization_id is null)
);
create unique index report_templates_slug_key
  on report_templates (coalesce(organization_id, '00000000-0000-0000-0000-000000000000'::uuid), slug)
  where is_latest and deleted_at is null;
create unique index report_templates_family_version_key on report_templates (family_id, version);
create index report_templates_org_idx on report_templates (organization_id) where is_latest and deleted_at is null;
create trigger report_templates_updated_at before update on report_templates for each row execute function set_updated_at();

alter table report_jobs add column template_id uuid references report_templates (id) on delete set null;
