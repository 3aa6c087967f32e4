import { type RefKind, refKind } from "../../platform/references.js";
import { catalogVisible } from "../catalog/references.js";

interface InCourse {
  organization_id: string | null;
}

/** Quizzes, their questions, attempts and the question bank, as body and query references. */
export const assessmentRefKinds: Record<string, RefKind> = {
  quiz: refKind<InCourse>({
    label: "Quiz",
    async load(db, ids) {
      const rows = await db
        .selectFrom("quizzes as q")
        .innerJoin("courses as c", "c.id", "q.course_id")
        .select(["q.id", "c.organization_id"])
        .where("q.id", "in", ids)
        .execute();
      return new Map(rows.map((r) => [r.id, r]));
    },
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  }),
  "quiz-question": refKind<InCourse>({
    label: "Question",
    async load(db, ids) {
      const rows = await db
        .selectFrom("quiz_questions as qq")
        .innerJoin("quizzes as q", "q.id", "qq.quiz_id")
        .innerJoin("courses as c", "c.id", "q.course_id")
        .select(["qq.id", "c.organization_id"])
        .where("qq.id", "in", ids)
        .execute();
      return new Map(rows.map((r) => [r.id, r]));
    },
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  }),
  attempt: refKind<InCourse & { user_id: string }>({
    label: "Attempt",
    async load(db, ids) {
      const rows = await db
        .selectFrom("quiz_attempts as a")
        .innerJoin("courses as c", "c.id", "a.course_id")
        .select(["a.id", "a.user_id", "c.organization_id"])
        .where("a.id", "in", ids)
        .execute();
      return new Map(rows.map((r) => [r.id, r]));
    },
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  }),
  // What a learning event's `contentId` names: a lesson, a module or a quiz.
  content: refKind<InCourse>({
    label: "Content",
    async load(db, ids) {
      const rows = await db
        .selectFrom("lessons as x")
        .innerJoin("courses as c", "c.id", "x.course_id")
        .select(["x.id", "c.organization_id"])
        .where("x.id", "in", ids)
        .unionAll(
          db
            .selectFrom("modules as x")
            .innerJoin("courses as c", "c.id", "x.course_id")
            .select(["x.id", "c.organization_id"])
            .where("x.id", "in", ids),
        )
        .unionAll(
          db
            .selectFrom("quizzes as x")
            .innerJoin("courses as c", "c.id", "x.course_id")
            .select(["x.id", "c.organization_id"])
            .where("x.id", "in", ids),
        )
        .execute();
      return new Map(rows.map((r) => [r.id, r]));
    },
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  }),
  // An organization's bank inside the organization; a personal bank only for its author.
  "bank-question": refKind<{ organization_id: string | null; created_by: string | null }>({
    label: "Question",
    async load(db, ids) {
      const rows = await db
        .selectFrom("question_bank")
        .select(["id", "organization_id", "created_by"])
        .where("id", "in", ids)
        .execute();
      return new Map(rows.map((r) => [r.id, r]));
    },
    home: (row) => row.organization_id,
    visible: (row, scope) =>
      row.organization_id !== null
        ? scope.organizations.includes(row.organization_id)
        : row.created_by !== null && row.created_by === scope.userId,
  }),
};
