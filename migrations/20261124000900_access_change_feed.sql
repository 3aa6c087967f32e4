-- The access change feed (issue 11). Processes keep the sessions and grants they checked in
-- memory; every change that can end a session or change what a person may do is announced on
-- the `lyceum_access` channel when its transaction commits, so each process drops what
-- changed before it answers the next request. Payloads: `u:<user id>` (that person's
-- sessions, account status, roles, memberships or teams changed) and `*` (something that
-- reaches many people: an organization's status, the permissions of roles, the catalog).

-- Announces the person a row is about (the column named by the first argument), before and
-- after the change, or everyone when the argument is '*'.
create function notify_access_change() returns trigger as $$
declare
  column_name text := tg_argv[0];
  before text;
  after text;
begin
  if column_name = '*' then
    perform pg_notify('lyceum_access', '*');
    return null;
  end if;
  if tg_op <> 'INSERT' then
    before := to_jsonb(old) ->> column_name;
  end if;
  if tg_op <> 'DELETE' then
    after := to_jsonb(new) ->> column_name;
  end if;
  if before is not null then
    perform pg_notify('lyceum_access', 'u:' || before);
  end if;
  if after is not null and after is distinct from before then
    perform pg_notify('lyceum_access', 'u:' || after);
  end if;
  return null;
end
$$ language plpgsql;

-- Account status and deletion end every session of the account.
create trigger users_access_change after update on users for each row
  when (old.status is distinct from new.status or old.deleted_at is distinct from new.deleted_at)
  execute function notify_access_change('id');
create trigger users_access_removed after delete on users for each row
  execute function notify_access_change('id');

-- Sign-out, revocation, expiry changes (refresh extends a session; touching
-- last_accessed_at is not announced).
create trigger user_sessions_access_change after update on user_sessions for each row
  when (old.revoked_at is distinct from new.revoked_at
        or old.expires_at is distinct from new.expires_at
        or old.user_id is distinct from new.user_id)
  execute function notify_access_change('user_id');
create trigger user_sessions_access_removed after delete on user_sessions for each row
  execute function notify_access_change('user_id');

-- Grants: role assignments, memberships (status, department), team membership and leadership.
create trigger user_roles_access_change after insert or update or delete on user_roles
  for each row execute function notify_access_change('user_id');
create trigger organization_members_access_change
  after insert or update or delete on organization_members
  for each row execute function notify_access_change('user_id');
create trigger team_members_access_change after insert or update or delete on team_members
  for each row execute function notify_access_change('user_id');
create trigger teams_access_change after insert or delete on teams
  for each row execute function notify_access_change('manager_user_id');
create trigger teams_manager_change after update on teams for each row
  when (old.manager_user_id is distinct from new.manager_user_id)
  execute function notify_access_change('manager_user_id');

-- Changes that reach everyone in an organization, or everyone holding a role.
create trigger organizations_access_change after update on organizations for each row
  when (old.status is distinct from new.status or old.deleted_at is distinct from new.deleted_at)
  execute function notify_access_change('*');
create trigger organizations_access_removed after delete on organizations
  for each statement execute function notify_access_change('*');
create trigger role_permissions_access_change
  after insert or update or delete or truncate on role_permissions
  for each statement execute function notify_access_change('*');
create trigger permissions_access_change after insert or update or delete or truncate on permissions
  for each statement execute function notify_access_change('*');

-- TRUNCATE fires no row triggers: announce it as a change for everyone.
create trigger users_access_truncate after truncate on users
  for each statement execute function notify_access_change('*');
create trigger user_sessions_access_truncate after truncate on user_sessions
  for each statement execute function notify_access_change('*');
create trigger user_roles_access_truncate after truncate on user_roles
  for each statement execute function notify_access_change('*');
create trigger organization_members_access_truncate after truncate on organization_members
  for each statement execute function notify_access_change('*');
create trigger team_members_access_truncate after truncate on team_members
  for each statement execute function notify_access_change('*');
create trigger teams_access_truncate after truncate on teams
  for each statement execute function notify_access_change('*');
create trigger organizations_access_truncate after truncate on organizations
  for each statement execute function notify_access_change('*');
