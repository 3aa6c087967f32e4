import { sql } from "kysely";
import type { Db } from "../../db/connection.js";
import type { Ctx } from "../../platform/context.js";
import { type QuestionVersion, questionsStillAt, type ServedQuestion } from "./question-cache.js";
import type { QuizAnswerRow, QuizAttemptRow, QuizRow } from "./schema.js";

/**
 * Open attempts as this process last saved or read them. A learner's next autosave need not
 * read the attempt again: it checks the answers against what is remembered and writes them in
 * one statement that holds only if nothing changed since (autosave in attempts.ts). A reload
 * of the attempt checks only its versions (`ownAttemptAsRemembered`, views.ts). Memory is
 * never trusted blindly: the write names the attempt row's version (which every change to the
 * attempt or its answers moves on), the quiz row's and every served question's, and writes
 * nothing when one of them moved. The save then reads the attempt as if nothing were
 * remembered. Other processes, graders, the deadline worker and instructors editing the quiz
 * need not tell this one anything. Memory is kept per database handle, so two databases in
 * one process (tests, tools) never see each other's attempts.
 */
export interface OpenAttempt {
  attempt: QuizAttemptRow;
  /** The attempt row's version (`xmin`) after the last save. */
  version: string;
  quiz: QuizRow;
  quizVersion: string;
  questions: ServedQuestion[];
  served: QuestionVersion[];
  answers: QuizAnswerRow[];
}

/** About a class of learners per process at once: a few kilobytes each. */
const MAX_OPEN = 4096;
const memory = new WeakMap<Db, Map<string, OpenAttempt>>();

function openIn(db: Db): Map<string, OpenAttempt> {
  let open = memory.get(db);
  if (!open) {
    open = new Map();
    memory.set(db, open);
  }
  return open;
}

/** The attempt as this process last saved it through `db`, if it did. */
export function rememberedAttempt(db: Db, attemptId: string): OpenAttempt | undefined {
  return memory.get(db)?.get(attemptId);
}

/** Keeps an attempt as a save left it; the oldest kept one goes when memory is full. */
export function rememberAttempt(db: Db, entry: OpenAttempt): void {
  const open = openIn(db);
  const id = entry.attempt.id;
  open.delete(id);
  if (open.size >= MAX_OPEN) {
    const oldest = open.keys().next().value;
    if (oldest !== undefined) open.delete(oldest);
  }
  open.set(id, entry);
}

/** Drops what is remembered of an attempt (it closed, or memory proved out of date). */
export function forgetAttempt(db: Db, attemptId: string): void {
  memory.get(db)?.delete(attemptId);
}

/**
 * As a condition of a statement on the attempt row `quiz_attempts`: the row, its quiz and every
 * question it serves are still at the versions remembered. Every change to an attempt or its
 * answers (a save, a submission, a close, grading) also updates the attempt row.
 */
export function unchangedSince(entry: Pick<OpenAttempt, "version" | "quizVersion" | "served">) {
  return sql<boolean>`quiz_attempts.xmin::text = ${entry.version}
    and (select q.xmin::text from quizzes q where q.id = quiz_attempts.quiz_id) = ${entry.quizVersion}
    and ${questionsStillAt(entry.served)}`;
}

/**
 * The caller's own attempt as remembered, when one statement finds it unchanged since; memory
 * that proved out of date is dropped. Someone else's request never reads the owner's memory
 * (nor drops it): it reads the attempt as it is, and the caller's rights decide.
 */
export async function ownAttemptAsRemembered(
  ctx: Ctx,
  attemptId: string,
): Promise<OpenAttempt | undefined> {
  if (ctx.actor.kind !== "user") return undefined;
  const entry = rememberedAttempt(ctx.db, attemptId);
  if (!entry || entry.attempt.user_id !== ctx.actor.userId) return undefined;
  const { rows } = await sql`
    select 1 from quiz_attempts where id = ${attemptId} and ${unchangedSince(entry)}`.execute(
    ctx.db,
  );
  if (rows.length) return entry;
  forgetAttempt(ctx.db, attemptId);
  return undefined;
}
