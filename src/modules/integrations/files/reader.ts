import type { Ctx } from "../../../platform/context.js";
import type { Connector, ExternalEnrollment, Page } from "../connectors/types.js";
import { registerSource, unavailable } from "../sync/target.js";
import { readImportRows } from "./imports.js";
import { latestRows, type ReadRow } from "./mapping.js";
import type { ColumnMapping } from "./schema.js";

/** Rows (or courses) per page: each page is committed with the run's cursor, the row offset. */
export const FILE_PAGE = 500;

/** The record of a row the file does not let Lyceum read: the engine reports it failed. */
function unreadable(row: ReadRow): ExternalEnrollment {
  return {
    externalId: row.externalId,
    courseExternalId: row.courseKey ?? "",
    person: { externalId: row.email ?? "", email: row.email, firstName: null, lastName: null },
    status: "not-started",
    enrolledAt: null,
    startedAt: null,
    completedAt: null,
    dueAt: null,
    lastAccessAt: null,
    progressPercent: null,
    timeSpentMinutes: null,
    score: null,
    maxScore: null,
    passingScore: null,
    grade: null,
    credits: null,
    costMinor: null,
    currency: null,
    instructorName: null,
    attempts: null,
    certifiedAt: null,
    certificateUrl: null,
    updatedAt: null,
    unreadable: row.problem ?? "The row could not be read",
  };
}

function page<T>(items: T[], cursor: string | null | undefined): Page<T> {
  const offset = Math.max(0, Number(cursor ?? 0) || 0);
  const end = offset + FILE_PAGE;
  return { items: items.slice(offset, end), next: end < items.length ? String(end) : null };
}

/**
 * A connector over an import's stored file, read with the mapping of the run (kept in the run's
 * source, so a run taken over reads as it started): the file's courses, then each course's
 * rows, page by page (the last row of an enrollment the file holds twice). Rows without a course
 * go with the first course's rows, to be reported.
 */
export function fileConnector(rows: ReadRow[]): Connector {
  const byCourse = new Map<string, ExternalEnrollment[]>();
  const courses = new Map<string, { title: string | null; code: string | null }>();
  const homeless: ExternalEnrollment[] = [];
  for (const row of latestRows(rows).kept) {
    if (!row.courseKey) {
      homeless.push(unreadable(row));
      continue;
    }
    const known = courses.get(row.courseKey);
    if (!known) courses.set(row.courseKey, { title: row.courseTitle, code: row.courseCode });
    else {
      known.title ??= row.courseTitle;
      known.code ??= row.courseCode;
    }
    const list = byCourse.get(row.courseKey) ?? [];
    list.push(row.enrollment ?? unreadable(row));
    byCourse.set(row.courseKey, list);
  }
  const first = [...courses.keys()][0];
  if (first && homeless.length) byCourse.get(first)?.push(...homeless);
  const list = [...courses].map(([externalId, c]) => ({
    externalId,
    code: c.code,
    title: c.title ?? "",
    summary: null,
    url: null,
    startsAt: null,
    endsAt: null,
    updatedAt: null,
  }));
  return {
    type: "file",
    testConnection: async () => ({ ok: true, checks: [], latencyMs: 0 }),
    listCourses: async (options) => page(list, options?.cursor),
    listEnrollments: async (course, options) => page(byCourse.get(course) ?? [], options?.cursor),
    enrol: (input, signal) => unavailable("A file is only read").enrol(input, signal),
  };
}

registerSource("file", async (ctx: Ctx, run, integration) => {
  const file = await ctx.db
    .selectFrom("integration_file_imports")
    .selectAll()
    .where("id", "=", String(run.source?.fileImportId ?? ""))
    .where("organization_id", "=", run.organization_id)
    .where("integration_id", "=", run.integration_id)
    .executeTakeFirst();
  if (!file) return unavailable("The run's file is no longer stored");
  const mapping = (run.source?.mapping as ColumnMapping | undefined) ?? file.column_mapping;
  await ctx.db
    .updateTable("integration_file_imports")
    .set({ status: "processing", updated_at: ctx.clock.now() })
    .where("id", "=", file.id)
    .where("run_id", "=", run.id)
    .execute();
  return fileConnector(
    await readImportRows(ctx, { ...file, column_mapping: mapping }, integration.encoding),
  );
});
