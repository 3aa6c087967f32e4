import { sql } from "kysely";
import type { Ctx } from "../../platform/context.js";
import type { QuizQuestionRow } from "./schema.js";

/** What showing and grading an attempt need of a question it serves. */
export type ServedQuestion = Pick<QuizQuestionRow, "id" | "definition" | "points">;

/**
 * The questions attempts serve, kept in memory per process. Every attempt read, autosave and
 * submission needs the definitions of all its questions; reading them from the database each
 * time made the definitions most of those statements' work. The cache is never trusted
 * blindly: the statement that reads an attempt also reads each question's row version
 * (`xmin` and `ctid`: a row version's transaction and place, which every change of the row
 * replaces), and a question is taken from memory only when the version matches, so an edited
 * question is read again at once, in every process, with no notification needed.
 *
 * Cached definitions are frozen: code that changed one in place would change every later
 * request's copy, and fails loudly instead.
 */
const MAX_QUESTIONS = 20_000;
const known = new Map<string, { version: string; question: ServedQuestion }>();

/** A question's id and row version, as an attempt's statement reads them. */
export interface QuestionVersion {
  id: string;
  version: string;
}

/**
 * The ids and row versions of an attempt's questions, as one JSON value of a statement that
 * reads the attempt as `a`. The ids are cast once and joined (`id = any(…::uuid[])` cast the
 * whole array again for every question it compared, half the statement's time).
 */
export const servedVersionsJson = sql<QuestionVersion[]>`coalesce((
  select json_agg(json_build_object('id', q.id, 'version', q.xmin::text || ':' || q.ctid::text))
  from unnest(a.question_ids::uuid[]) as served (id) join quiz_questions q on q.id = served.id
  ), '[]')`;

/**
 * Whether the questions of the attempt row `quiz_attempts` a statement reads are still at
 * these versions (as `servedVersionsJson` read them), as a condition of that statement. Both
 * sides are `id@version` texts in the order of the ids (uuid order is the order of their
 * lower-case texts, which is how JavaScript sorts them).
 */
export function questionsStillAt(versions: readonly QuestionVersion[]) {
  const expected = versions.map((v) => `${v.id}@${v.version}`).sort();
  return sql<boolean>`coalesce((
    select array_agg(q.id::text || '@' || q.xmin::text || ':' || q.ctid::text order by q.id)
    from unnest(quiz_attempts.question_ids::uuid[]) as served (id)
    join quiz_questions q on q.id = served.id
    ), '{}') = ${expected}::text[]`;
}

/**
 * The questions at these versions: from memory when the version matches, the others in one
 * statement (which also refreshes the cache).
 */
export async function questionsAt(
  ctx: Ctx,
  versions: readonly QuestionVersion[],
): Promise<ServedQuestion[]> {
  const found = new Map<string, ServedQuestion>();
  const missing: string[] = [];
  for (const { id, version } of versions) {
    const hit = known.get(id);
    if (hit && hit.version === version) found.set(id, hit.question);
    else missing.push(id);
  }
  if (missing.length) {
    const { rows } = await sql<ServedQuestion & { version: string }>`
      select q.id, q.definition, q.points, q.xmin::text || ':' || q.ctid::text as version
      from quiz_questions q where q.id = any(${missing}::uuid[])`.execute(ctx.db);
    if (known.size + rows.length > MAX_QUESTIONS) known.clear();
    for (const { version, ...question } of rows) {
      const frozen = deepFreeze(question);
      known.set(question.id, { version, question: frozen });
      found.set(question.id, frozen);
    }
  }
  return versions.flatMap(({ id }) => {
    const question = found.get(id);
    return question ? [question] : [];
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
