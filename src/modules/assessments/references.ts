import { sql } from "kysely";
import { type RefKind, refKind } from "../../platform/references.js";
import { catalogVisible, courseChildKind, type InCourse } from "../catalog/references.js";

/** Quizzes, their questions, attempts and the question bank, as body and query references. */
export const assessmentRefKinds: Record<string, RefKind> = {
  quiz: courseChildKind("Quiz", "quizzes"),
  attempt: courseChildKind("Attempt", "quiz_attempts"),
  "quiz-question": refKind<InCourse>({
    label: "Question",
    query: (db, ids) =>
      db
        .selectFrom("quiz_questions as qq")
        .innerJoin("quizzes as q", "q.id", "qq.quiz_id")
        .innerJoin("courses as c", "c.id", "q.course_id")
        .select(["qq.id", "c.organization_id"])
        .where("qq.id", "in", ids),
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  }),
  // What a learning event's `contentId` names: a lesson, a module or a quiz.
  content: refKind<InCourse>({
    label: "Content",
    query: (_db, ids) => sql`
      select x.id, c.organization_id from (
        select id, course_id from lessons where id in (${sql.join(ids)})
        union all select id, course_id from modules where id in (${sql.join(ids)})
        union all select id, course_id from quizzes where id in (${sql.join(ids)})
      ) x join courses c on c.id = x.course_id`,
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  }),
  // An organization's bank inside the organization; a personal bank only for its author.
  "bank-question": refKind<{
    id: string;
    organization_id: string | null;
    created_by: string | null;
  }>({
    label: "Question",
    query: (db, ids) =>
      db
        .selectFrom("question_bank")
        .select(["id", "organization_id", "created_by"])
        .where("id", "in", ids),
    home: (row) => row.organization_id,
    visible: (row, scope) =>
      row.organization_id !== null
        ? scope.organizations.includes(row.organization_id)
        : row.created_by !== null && row.created_by === scope.userId,
  }),
};
