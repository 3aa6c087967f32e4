import { createHash } from "node:crypto";
import { sql } from "kysely";
import { type Ctx, inTransaction } from "../../../platform/context.js";
import { ConnectorError } from "../connectors/types.js";
import { type RecordLine, type SyncTarget, saveProgress } from "../sync/engine.js";
import type { SyncCursor, SyncRunRow } from "../sync/schema.js";
import type { ExportEntity } from "./schema.js";

/**
 * The export direction (issue 15 §3): for each course link, the people enrolled in the linked
 * Lyceum course (members of the organization only) are found or created over there, enrolled
 * in the linked external course, and — when they completed it — their completion recorded
 * where the system allows it. What was sent is remembered as a fingerprint per record
 * (`integration_exports`): a run sends only what changed since, and a run done twice sends
 * nothing. Like an import run, it goes page by page (a page is a slice of one link's
 * enrollments) and commits each page with its report lines, dead letters, counters and
 * cursor, so a run taken over resumes at the last committed page. The cursor's `courses` are
 * the link ids and `enrollmentPage` the last enrollment id done.
 */

/** Enrollments pushed per committed page. */
export const EXPORT_PAGE_SIZE = 50;

/** Enrollment statuses that are pushed: an assignment under way, or done. */
const EXPORTED_STATUSES = ["active", "completed"] as const;

type Line = RecordLine & { entity: ExportEntity };

interface Pushed {
  entity: ExportEntity;
  localId: string;
  externalId: string | null;
  fingerprint: string;
}

/** Pushes a run's records out, page by page, from where its cursor stands. */
export async function runExport(ctx: Ctx, run: SyncRunRow, target: SyncTarget): Promise<void> {
  let cursor: SyncCursor = run.cursor ?? {
    phase: "courses",
    coursePage: null,
    courses: [],
    courseIndex: 0,
    enrollmentPage: null,
  };
  while (cursor.phase !== "done")
    cursor =
      cursor.phase === "courses"
        ? await startExport(ctx, run, cursor)
        : await exportPage(ctx, run, target, cursor);
}

/** The first step: the integration's course links, in the order they were made. */
async function startExport(ctx: Ctx, run: SyncRunRow, cursor: SyncCursor): Promise<SyncCursor> {
  return inTransaction(ctx, async (tx) => {
    // Links of courses since deleted are left out.
    const links = await tx.db
      .selectFrom("integration_course_links as l")
      .innerJoin("courses as c", "c.id", "l.course_id")
      .select("l.id")
      .where("l.integration_id", "=", run.integration_id)
      .where("c.deleted_at", "is", null)
      .orderBy("l.created_at")
      .orderBy("l.id")
      .execute();
    const next: SyncCursor = {
      ...cursor,
      phase: links.length ? "enrollments" : "done",
      courses: links.map((l) => l.id),
      courseIndex: 0,
      enrollmentPage: null,
    };
    await saveProgress(tx, run, next, []);
    return next;
  });
}

function fingerprint(values: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(values)).digest("hex");
}

/** What the person is over there, in the words of the run's report. */
function personLine(email: string) {
  return email;
}

/** One page of one link's enrollments: people, enrollments and completions pushed. */
async function exportPage(
  ctx: Ctx,
  run: SyncRunRow,
  target: SyncTarget,
  cursor: SyncCursor,
): Promise<SyncCursor> {
  const linkId = cursor.courses[cursor.courseIndex] as string;
  const advance = (hasMore: boolean, lastId: string | null): SyncCursor =>
    hasMore
      ? { ...cursor, enrollmentPage: lastId }
      : cursor.courseIndex + 1 < cursor.courses.length
        ? { ...cursor, courseIndex: cursor.courseIndex + 1, enrollmentPage: null }
        : { ...cursor, phase: "done", enrollmentPage: null };

  const link = await ctx.db
    .selectFrom("integration_course_links")
    .selectAll()
    .where("id", "=", linkId)
    .where("integration_id", "=", run.integration_id)
    .executeTakeFirst();
  let rowsQuery = ctx.db
    .selectFrom("enrollments as e")
    .innerJoin("users as u", "u.id", "e.user_id")
    .innerJoin("organization_members as m", (join) =>
      join.onRef("m.user_id", "=", "e.user_id").on("m.organization_id", "=", run.organization_id),
    )
    .select([
      "e.id",
      "e.user_id",
      "e.status",
      "e.completed_at",
      "e.score",
      "u.email",
      "u.first_name",
      "u.last_name",
    ])
    .where("e.course_id", "=", link?.course_id ?? "00000000-0000-0000-0000-000000000000")
    .where("e.status", "in", [...EXPORTED_STATUSES])
    .where("u.deleted_at", "is", null)
    .orderBy("e.id")
    .limit(EXPORT_PAGE_SIZE);
  if (cursor.enrollmentPage) rowsQuery = rowsQuery.where("e.id", ">", cursor.enrollmentPage);
  const rows = link ? await rowsQuery.execute() : [];

  const userIds = [...new Set(rows.map((r) => r.user_id))];
  const enrollmentIds = rows.map((r) => r.id);
  const known = rows.length
    ? await ctx.db
        .selectFrom("integration_exports")
        .select(["entity", "local_id", "external_id", "fingerprint"])
        .where("integration_id", "=", run.integration_id)
        .where((eb) =>
          eb.or([
            eb.and([eb("entity", "=", "person"), eb("local_id", "in", userIds)]),
            eb.and([
              eb("entity", "in", ["enrollment", "completion"]),
              eb("local_id", "in", enrollmentIds),
            ]),
          ]),
        )
        .execute()
    : [];
  const before = new Map(known.map((k) => [`${k.entity}:${k.local_id}`, k]));
  const pushed = new Map<string, Pushed>();
  /** What was last sent of a record: in this page, or by an earlier run. */
  const sent = (
    entity: ExportEntity,
    localId: string,
  ): { externalId: string | null; fingerprint: string } | undefined => {
    const now = pushed.get(`${entity}:${localId}`);
    if (now) return now;
    const earlier = before.get(`${entity}:${localId}`);
    return earlier && { externalId: earlier.external_id, fingerprint: earlier.fingerprint };
  };

  const lines: Line[] = [];
  const connector = target.connector;
  const ensurePerson = connector.ensurePerson?.bind(connector);
  const complete = connector.complete?.bind(connector);
  const system = target.name;
  let remoteMs = 0;
  let remote = false;
  /** One call over there; unsupported and per-record refusals answered, the rest thrown. */
  const attempt = async <T>(
    call: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: ConnectorError }> => {
    const began = Date.now();
    remote = true;
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      // Whatever stops every record (credentials, the system away) ends or pauses the run.
      if (!(error instanceof ConnectorError) || error.transient || error.kind === "auth")
        throw error;
      return { ok: false, error };
    } finally {
      remoteMs += Date.now() - began;
    }
  };

  for (const row of rows) {
    if (!link) break;
    const email = row.email.trim().toLowerCase();
    const course = link.external_course_id;
    const key = `${course}:${email}`;
    const payload = {
      direction: "export",
      courseLinkId: link.id,
      courseId: link.course_id,
      externalCourseId: course,
      userId: row.user_id,
      enrollmentId: row.id,
      email,
    };

    // The person: found or created over there, once per change of what Lyceum knows of them.
    const personPrint = fingerprint([email, row.first_name, row.last_name]);
    const personBefore = sent("person", row.user_id);
    let personExternalId: string | null = personBefore?.externalId ?? null;
    if (personBefore?.fingerprint === personPrint) {
      lines.push({ entity: "person", externalId: personLine(email), outcome: "unchanged" });
    } else if (run.dry_run) {
      lines.push({
        entity: "person",
        externalId: personLine(email),
        outcome: personBefore ? "updated" : "created",
        changes: { email: [null, email], name: [null, `${row.first_name} ${row.last_name}`] },
      });
    } else if (!ensurePerson) {
      lines.push({
        entity: "person",
        externalId: personLine(email),
        outcome: "skipped",
        reason: `Lyceum cannot create accounts in ${system}: the person is enrolled by email address`,
      });
      personExternalId = "";
    } else {
      const result = await attempt(() =>
        ensurePerson({
          email,
          firstName: row.first_name || null,
          lastName: row.last_name || null,
        }),
      );
      if (!result.ok) {
        const unsupported = result.error.kind === "unsupported";
        lines.push({
          entity: "person",
          externalId: personLine(email),
          outcome: unsupported ? "skipped" : "failed",
          reason: result.error.message,
          ...(unsupported ? {} : { payload }),
        });
        personExternalId = unsupported ? "" : null;
      } else {
        personExternalId = result.value.externalId;
        pushed.set(`person:${row.user_id}`, {
          entity: "person",
          localId: row.user_id,
          externalId: personExternalId,
          fingerprint: personPrint,
        });
        lines.push({
          entity: "person",
          externalId: personLine(email),
          outcome: result.value.created || !personBefore ? "created" : "updated",
          changes: personBefore
            ? { account: [personBefore.externalId, personExternalId] }
            : { account: [null, personExternalId] },
        });
      }
    }
    if (personExternalId === null && !run.dry_run) {
      const reason = "The person could not be sent, so neither could their enrollment";
      lines.push({ entity: "enrollment", externalId: key, outcome: "skipped", reason });
      continue;
    }

    // The assignment: the person enrolled in the linked course.
    const enrolPrint = fingerprint([course, personExternalId]);
    const enrolBefore = sent("enrollment", row.id);
    let enrolled = true;
    if (run.dry_run) {
      const changed =
        !enrolBefore ||
        !personBefore ||
        personBefore.fingerprint !== personPrint ||
        enrolBefore.fingerprint !== fingerprint([course, personBefore.externalId]);
      lines.push(
        changed
          ? {
              entity: "enrollment",
              externalId: key,
              outcome: enrolBefore ? "updated" : "created",
              changes: { course: [null, course] },
            }
          : { entity: "enrollment", externalId: key, outcome: "unchanged" },
      );
    } else if (enrolBefore?.fingerprint === enrolPrint) {
      lines.push({ entity: "enrollment", externalId: key, outcome: "unchanged" });
    } else {
      const result = await attempt(() =>
        connector.enrol({
          courseExternalId: course,
          person: {
            externalId: personExternalId ?? "",
            email,
            firstName: row.first_name || null,
            lastName: row.last_name || null,
          },
        }),
      );
      if (!result.ok) {
        const unsupported = result.error.kind === "unsupported";
        lines.push({
          entity: "enrollment",
          externalId: key,
          outcome: unsupported ? "skipped" : "failed",
          reason: result.error.message,
          ...(unsupported ? {} : { payload }),
        });
        enrolled = false;
      } else {
        pushed.set(`enrollment:${row.id}`, {
          entity: "enrollment",
          localId: row.id,
          externalId: result.value.externalId,
          fingerprint: enrolPrint,
        });
        lines.push({
          entity: "enrollment",
          externalId: key,
          outcome: enrolBefore ? "updated" : "created",
          changes: { course: [null, course], enrollment: [null, result.value.externalId] },
        });
      }
    }

    // The completion, when the person completed the Lyceum course.
    if (row.status !== "completed" || !row.completed_at) continue;
    const completedAt = new Date(row.completed_at);
    const score = row.score === null ? null : Number(row.score);
    const completionPrint = fingerprint([
      course,
      personExternalId,
      completedAt.toISOString(),
      score,
    ]);
    const completionBefore = sent("completion", row.id);
    if (run.dry_run) {
      const changed =
        !completionBefore ||
        !personBefore ||
        personBefore.fingerprint !== personPrint ||
        completionBefore.fingerprint !==
          fingerprint([course, personBefore.externalId, completedAt.toISOString(), score]);
      lines.push(
        changed
          ? {
              entity: "completion",
              externalId: key,
              outcome: completionBefore ? "updated" : "created",
              changes: { completedAt: [null, completedAt.toISOString()], score: [null, score] },
            }
          : { entity: "completion", externalId: key, outcome: "unchanged" },
      );
      continue;
    }
    if (completionBefore?.fingerprint === completionPrint) {
      lines.push({ entity: "completion", externalId: key, outcome: "unchanged" });
      continue;
    }
    if (!enrolled) {
      lines.push({
        entity: "completion",
        externalId: key,
        outcome: "skipped",
        reason: "The enrollment could not be sent, so neither could its completion",
      });
      continue;
    }
    const result = complete
      ? await attempt(() =>
          complete({
            courseExternalId: course,
            personExternalId: personExternalId ?? "",
            completedAt,
            score,
          }),
        )
      : {
          ok: false as const,
          error: new ConnectorError(
            "unsupported",
            `Lyceum cannot record completions in ${system} through its API`,
          ),
        };
    if (!result.ok && result.error.kind !== "unsupported") {
      lines.push({
        entity: "completion",
        externalId: key,
        outcome: "failed",
        reason: result.error.message,
        payload: { ...payload, completedAt: completedAt.toISOString(), score },
      });
      continue;
    }
    // An unsupported completion is remembered too: reported once, not at every run.
    pushed.set(`completion:${row.id}`, {
      entity: "completion",
      localId: row.id,
      externalId: result.ok ? result.value.externalId : null,
      fingerprint: completionPrint,
    });
    lines.push(
      result.ok
        ? {
            entity: "completion",
            externalId: key,
            outcome: completionBefore ? "updated" : "created",
            changes: { completedAt: [null, completedAt.toISOString()], score: [null, score] },
          }
        : {
            entity: "completion",
            externalId: key,
            outcome: "skipped",
            reason: result.error.message,
          },
    );
  }

  const last = rows[rows.length - 1];
  const next = advance(rows.length === EXPORT_PAGE_SIZE, last?.id ?? null);
  return inTransaction(ctx, async (tx) => {
    if (!run.dry_run && pushed.size) {
      const now = tx.clock.now();
      await sql`
        insert into integration_exports as x
          (organization_id, integration_id, entity, local_id, external_id, fingerprint, pushed_at)
        select ${run.organization_id}, ${run.integration_id}, r.entity, r.local_id::uuid,
          r.external_id, r.fingerprint, ${now}
        from jsonb_to_recordset(${JSON.stringify(
          [...pushed.values()].map((p) => ({
            entity: p.entity,
            local_id: p.localId,
            external_id: p.externalId,
            fingerprint: p.fingerprint,
          })),
        )}::jsonb) as r (entity text, local_id text, external_id text, fingerprint text)
        on conflict (integration_id, entity, local_id) do update set
          external_id = excluded.external_id, fingerprint = excluded.fingerprint,
          pushed_at = excluded.pushed_at, updated_at = ${now}`.execute(tx.db);
    }
    await saveProgress(tx, run, next, lines, remote ? remoteMs : null);
    return next;
  });
}
