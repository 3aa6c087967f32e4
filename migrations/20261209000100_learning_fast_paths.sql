-- Learning writes in the database, for the paths that run thousands of times a minute.
--
-- record_learning_events: the one way learning events are written (src/modules/events/record.ts
-- calls it inside its statements; complete_lesson_fast below too).
-- enrollment_module_totals: an enrollment's figures per module (src/modules/progress/tracking.ts
-- reads them in its statements; complete_lesson_fast too).
-- complete_lesson_fast: a lesson completion in one round trip when nothing but the lesson's
-- own figures changes (src/modules/progress/tracking.ts falls back to its transaction otherwise).

-- Writes events given as a JSON array of objects with the columns of event_input below, all or
-- none: when any type is not an active `activity-event` lookup value (global or the event's
-- organization's), nothing is stored. Aggregation keys are computed in the organization's time
-- zone, or the learner's when there is none. Rows come back in the order of the input (`n`).
create or replace function record_learning_events(p_events jsonb, p_recorded_at timestamptz)
returns setof learning_events
language plpgsql
as $$
begin
  return query
  with event_input as (
    select * from jsonb_to_recordset(p_events) as i (
      n integer, organization_id uuid, learner_id uuid, event_type text, course_id uuid,
      cohort_id uuid, content_id uuid, enrollment_id uuid, session_id text,
      occurred_at timestamptz, duration_seconds integer, context jsonb, data jsonb, source text)
  ),
  -- Time zones are looked up per event (by primary key): the planner cannot know how many
  -- events the parameter holds, and joins would have it scan every person and organization.
  event_resolved as (
    select i.*,
           i.occurred_at at time zone coalesce(
             (select o.timezone from organizations o where o.id = i.organization_id),
             case when i.organization_id is null
                  then (select u.timezone from users u where u.id = i.learner_id) end,
             'UTC') as local_time,
           exists (select 1 from lookup_values v
                   where v.category = 'activity-event' and v.is_active and v.key = i.event_type
                     and (v.organization_id is null or v.organization_id = i.organization_id)) as known
    from event_input i
  )
  insert into learning_events as le (organization_id, learner_id, event_type, course_id, cohort_id,
                                     content_id, enrollment_id, session_id, occurred_at,
                                     duration_seconds, context, data, source, day_key, week_key,
                                     month_key, quarter_key, year_key, created_at)
  select r.organization_id, r.learner_id, r.event_type, r.course_id, r.cohort_id, r.content_id,
         r.enrollment_id, r.session_id, r.occurred_at, r.duration_seconds, r.context, r.data,
         r.source, r.local_time::date, to_char(r.local_time, 'IYYY-"W"IW'),
         to_char(r.local_time, 'YYYY-MM'), to_char(r.local_time, 'YYYY-"Q"Q'),
         extract(year from r.local_time)::integer, p_recorded_at
  from event_resolved r
  where not exists (select 1 from event_resolved x where not x.known)
  order by r.n
  returning le.*;
end
$$;

-- The figures of every published module of a course for one enrollment: its lessons and the
-- published quizzes required for completion, how many of each are done, and time spent.
-- `p_counted` names a lesson to count as completed whatever its row says (a statement that
-- completes it reads its snapshot from before the change).
create or replace function enrollment_module_totals(p_enrollment uuid, p_course uuid, p_counted uuid)
returns table (module_id uuid, lessons integer, lessons_done integer, items integer,
               items_done integer, seconds integer)
language sql
stable
as $$
  with lesson_totals as (
    select l.module_id, count(*) as total,
           count(p.id) filter (where p.status = 'completed' or p.lesson_id = p_counted) as done,
           coalesce(sum(p.time_spent_seconds), 0) as seconds
    from lessons l
    join modules m on m.id = l.module_id
    left join lesson_progress p on p.lesson_id = l.id and p.enrollment_id = p_enrollment
    where l.course_id = p_course and l.is_published and m.is_published
    group by l.module_id
  ),
  quiz_totals as (
    select q.module_id, count(*) as total, count(r.satisfied_at) as done
    from quizzes q
    join modules m on m.id = q.module_id
    left join quiz_results r on r.quiz_id = q.id and r.enrollment_id = p_enrollment
    where q.course_id = p_course and q.is_published
      and q.required_for_completion and q.deleted_at is null and m.is_published
    group by q.module_id
  )
  select coalesce(l.module_id, q.module_id),
         coalesce(l.total, 0)::integer, coalesce(l.done, 0)::integer,
         (coalesce(l.total, 0) + coalesce(q.total, 0))::integer,
         (coalesce(l.done, 0) + coalesce(q.done, 0))::integer,
         coalesce(l.seconds, 0)::integer
  from lesson_totals l full join quiz_totals q on q.module_id = l.module_id
$$;

-- A percentage to two decimals, 0 of nothing (as tracking.ts's percent()).
create or replace function percent_of(p_done integer, p_total integer)
returns numeric
language sql
immutable
as $$
  select case when p_total > 0 then round(p_done::numeric * 100 / p_total, 2) else 0 end
$$;

-- Completes a lesson for a learner in one call, when the completion changes nothing but the
-- figures: the learner's enrollment in the lesson's course is active and inside its access
-- window; the lesson and its module are published and the module opens without waiting for
-- other modules or a date; the lesson was started, had its minimum time and is not completed
-- yet; and the module does not complete with it. Then, with the enrollment row locked (the
-- statements after the lock read what was committed before it), it records the
-- `content-completed` event, completes the lesson and writes the module's and the enrollment's
-- figures, as tracking.ts's transaction does, and answers `{"progress": <the lesson's row>}`.
-- Otherwise it changes nothing and answers null: the caller takes the full path, which also
-- gives every refusal its error.
create or replace function complete_lesson_fast(p_user uuid, p_lesson uuid, p_now timestamptz,
                                                p_context jsonb)
returns json
language plpgsql
as $$
declare
  -- The enrollment (locked) and the lesson with its module, read together.
  e record;
  progress lesson_progress%rowtype;
  mine record;
begin
  select en.id, en.user_id, en.organization_id, en.course_id, en.cohort_id, en.status,
         en.access_expires_at, l.module_id, l.min_time_seconds,
         m.is_published as module_published, m.unlock_type, m.unlock_at
  into e
  from lessons l
  join modules m on m.id = l.module_id
  join enrollments en on en.course_id = l.course_id and en.user_id = p_user
  where l.id = p_lesson and l.is_published
  for update of en;
  if not found then return null; end if;
  if e.status <> 'active' or (e.access_expires_at is not null and e.access_expires_at <= p_now)
     or not e.module_published or e.unlock_type in ('sequential', 'prerequisites')
     or (e.unlock_type = 'scheduled' and e.unlock_at > p_now) then
    return null;
  end if;

  select * into progress from lesson_progress
  where enrollment_id = e.id and lesson_id = p_lesson;
  if not found or progress.status = 'completed'
     or progress.time_spent_seconds < e.min_time_seconds then
    return null;
  end if;

  -- The lesson's module and the whole course, from one reading of the figures.
  select max(t.lessons) filter (where t.module_id = e.module_id) as lessons,
         max(t.lessons_done) filter (where t.module_id = e.module_id) as lessons_done,
         max(t.items) filter (where t.module_id = e.module_id) as items,
         max(t.items_done) filter (where t.module_id = e.module_id) as items_done,
         max(t.seconds) filter (where t.module_id = e.module_id) as seconds,
         sum(t.lessons)::integer as course_lessons, sum(t.lessons_done)::integer as course_lessons_done,
         sum(t.items)::integer as course_items, sum(t.items_done)::integer as course_items_done,
         sum(t.seconds)::integer as course_seconds
  into mine
  from enrollment_module_totals(e.id, e.course_id, p_lesson) t;
  if mine.items is null or mine.items_done >= mine.items then return null; end if;

  -- The event first: an event type switched off refuses the whole completion, which the full
  -- path then reports.
  perform 1 from record_learning_events(
    jsonb_build_array(jsonb_build_object(
      'n', 0, 'organization_id', e.organization_id, 'learner_id', e.user_id,
      'event_type', 'content-completed', 'course_id', e.course_id, 'cohort_id', e.cohort_id,
      'content_id', p_lesson, 'enrollment_id', e.id, 'session_id', null,
      'occurred_at', p_now, 'duration_seconds', null, 'context', p_context,
      'data', jsonb_build_object('timeSpentSeconds', progress.time_spent_seconds),
      'source', 'internal')),
    p_now);
  if not found then return null; end if;

  update lesson_progress set status = 'completed', completed_at = p_now,
         completion_percent = 100, last_activity_at = p_now
  where id = progress.id
  returning * into progress;

  insert into module_progress as mp (enrollment_id, user_id, module_id, lessons_completed,
                                     lessons_total, time_spent_seconds, completion_percent,
                                     completed_at, started_at, unlocked_at, created_at, updated_at)
  values (e.id, e.user_id, e.module_id, mine.lessons_done, mine.lessons, mine.seconds,
          percent_of(mine.items_done, mine.items), null, p_now, p_now, p_now, p_now)
  on conflict (enrollment_id, module_id) do update set
    lessons_completed = excluded.lessons_completed, lessons_total = excluded.lessons_total,
    time_spent_seconds = excluded.time_spent_seconds,
    completion_percent = excluded.completion_percent, completed_at = null;

  update enrollments set
    lessons_completed = mine.course_lessons_done, lessons_total = mine.course_lessons,
    time_spent_seconds = mine.course_seconds, last_accessed_at = p_now,
    progress_percent = percent_of(mine.course_items_done, mine.course_items)
  where id = e.id;

  return json_build_object('progress', row_to_json(progress));
end
$$;
