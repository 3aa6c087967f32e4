-- The catalog change feed (issue 11). Processes keep the catalog pages anonymous visitors see
-- in memory; every change that can alter such a page is announced on the `lyceum_catalog`
-- channel when its transaction commits (once per statement), and each process empties its
-- pages before it answers the next request: a change to courses (including their enrollment
-- counts and ratings), to modules or lessons (their published counts), or to an instructor's
-- name or avatar.

create function notify_catalog_change() returns trigger as $$
begin
  perform pg_notify('lyceum_catalog', '');
  return null;
end
$$ language plpgsql;

create trigger courses_catalog_change
  after insert or update or delete or truncate on courses
  for each statement execute function notify_catalog_change();
create trigger modules_catalog_change
  after insert or update or delete or truncate on modules
  for each statement execute function notify_catalog_change();
create trigger lessons_catalog_change
  after insert or update or delete or truncate on lessons
  for each statement execute function notify_catalog_change();
create trigger users_catalog_change after update on users for each row
  when (old.first_name is distinct from new.first_name
        or old.last_name is distinct from new.last_name
        or old.avatar_file_id is distinct from new.avatar_file_id)
  execute function notify_catalog_change();
create trigger users_catalog_removed after delete on users
  for each statement execute function notify_catalog_change();
