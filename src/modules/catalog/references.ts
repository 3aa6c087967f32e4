import { type RefKind, type RefScope, refKind } from "../../platform/references.js";

/** Catalog objects are visible in their own organization; the platform catalog everywhere. */
export const catalogVisible = (organizationId: string | null, scope: RefScope) =>
  organizationId === null || scope.organizations.includes(organizationId);

interface InCourse {
  organization_id: string | null;
}

/** Courses, modules and lessons, as body and query references. */
export const catalogRefKinds: Record<string, RefKind> = {
  course: refKind<InCourse>({
    label: "Course",
    async load(db, ids) {
      const rows = await db
        .selectFrom("courses")
        .select(["id", "organization_id"])
        .where("id", "in", ids)
        .execute();
      return new Map(rows.map((r) => [r.id, r]));
    },
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  }),
  module: refKind<InCourse>({
    label: "Module",
    async load(db, ids) {
      const rows = await db
        .selectFrom("modules as m")
        .innerJoin("courses as c", "c.id", "m.course_id")
        .select(["m.id", "c.organization_id"])
        .where("m.id", "in", ids)
        .execute();
      return new Map(rows.map((r) => [r.id, r]));
    },
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  }),
  lesson: refKind<InCourse>({
    label: "Lesson",
    async load(db, ids) {
      const rows = await db
        .selectFrom("lessons as l")
        .innerJoin("courses as c", "c.id", "l.course_id")
        .select(["l.id", "c.organization_id"])
        .where("l.id", "in", ids)
        .execute();
      return new Map(rows.map((r) => [r.id, r]));
    },
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  }),
};
