/**
 * The quiz paths of `bench:api`: a 20-question quiz in the bench learning course, an open
 * attempt per learner for autosave and reload, and a start → submit cycle measured by hand
 * (each submission grades a whole attempt, so it cannot be replayed by autocannon).
 */
import type autocannon from "autocannon";
import { sql } from "kysely";
import type { connect } from "../src/db/connection.js";
import { countOf, round } from "./queries.js";

export const QUESTIONS = 20;

type Db = Awaited<ReturnType<typeof connect>>["db"];

/** A published quiz of QUESTIONS multiple-choice questions in the course's first module. */
export async function seedQuiz(db: Db, courseId: string, moduleId: string): Promise<string> {
  const quiz = await db
    .insertInto("quizzes")
    .values({
      course_id: courseId,
      module_id: moduleId,
      title: "Bench quiz",
      is_published: true,
      required_for_completion: false,
      randomize_answers: true,
      total_points: QUESTIONS,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await sql`
    insert into quiz_questions (quiz_id, position, question_type, definition, points)
    select ${quiz.id}, n, 'multiple-choice',
           jsonb_build_object(
             'type', 'multiple-choice', 'text', 'Question ' || n, 'points', 1,
             'negativePoints', 0, 'hints', '[]'::jsonb, 'skillIds', '[]'::jsonb,
             'options', jsonb_build_array(
               jsonb_build_object('id', 'a', 'text', 'Right', 'correct', true),
               jsonb_build_object('id', 'b', 'text', 'Wrong', 'correct', false),
               jsonb_build_object('id', 'c', 'text', 'Also wrong', 'correct', false))),
           1
    from generate_series(1, ${QUESTIONS}::int) as n`.execute(db);
  return quiz.id;
}

interface Attempt {
  id: string;
  questions: Array<{ id: string }>;
}

async function call<T>(url: string, token: string, method: string, body?: unknown): Promise<T> {
  return (await callCounted<T>(url, token, method, body)).data;
}

/** A call's data and the server's running query total when it answered. */
async function callCounted<T>(url: string, token: string, method: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
  return { data: ((await res.json()) as { data: T }).data, count: countOf(res) };
}

/** Starts (or resumes) one attempt per learner. */
export async function openAttempts(api: string, quizId: string, tokens: string[]) {
  const attempts: Attempt[] = [];
  for (const token of tokens)
    attempts.push(await call<Attempt>(`${api}/quizzes/${quizId}/start`, token, "POST", {}));
  return attempts;
}

export interface QuizTarget {
  name: string;
  url: string;
  method?: "GET" | "PUT";
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: autocannon.Request) => autocannon.Request;
}

/** Autosave: each request saves one answer of the next learner's open attempt. */
export function autosave(api: string, attempts: Attempt[], tokens: string[]): QuizTarget {
  let i = 0;
  const first = attempts[0] as Attempt;
  const body = (a: Attempt, q: number) =>
    JSON.stringify({
      answers: [{ questionId: a.questions[q]?.id, response: { selected: ["a"] } }],
    });
  const path0 = new URL(`${api}/attempts/${first.id}/answers`).pathname;
  return {
    name: `PUT /api/v1/attempts/:id/answers (autosave, ${QUESTIONS}-question attempts)`,
    url: `${api}/attempts/${first.id}/answers`,
    method: "PUT",
    headers: { authorization: `Bearer ${tokens[0]}`, "content-type": "application/json" },
    body: body(first, 0),
    setupRequest: (request) => {
      const n = i++;
      const k = n % attempts.length;
      const a = attempts[k] as Attempt;
      return {
        ...request,
        path: path0.replace(first.id, a.id),
        body: body(a, Math.floor(n / attempts.length) % QUESTIONS),
        headers: {
          ...(request.headers as Record<string, string>),
          authorization: `Bearer ${tokens[k]}`,
        },
      };
    },
  };
}

/** Reload: each request reads the next learner's open attempt (questions, answers, timer). */
export function reload(api: string, attempts: Attempt[], tokens: string[]): QuizTarget {
  let i = 0;
  const first = attempts[0] as Attempt;
  const path0 = new URL(`${api}/attempts/${first.id}`).pathname;
  return {
    name: `GET /api/v1/attempts/:id (an open ${QUESTIONS}-question attempt)`,
    url: `${api}/attempts/${first.id}`,
    headers: { authorization: `Bearer ${tokens[0]}` },
    setupRequest: (request) => {
      const k = i++ % attempts.length;
      return {
        ...request,
        path: path0.replace(first.id, (attempts[k] as Attempt).id),
        headers: {
          ...(request.headers as Record<string, string>),
          authorization: `Bearer ${tokens[k]}`,
        },
      };
    },
  };
}

/**
 * Submission: every learner in parallel starts an attempt and submits all QUESTIONS answers,
 * again and again for `seconds`; the submit calls are timed (each grades and totals a whole
 * attempt, updates the learner's standing and records events).
 */
export async function submitCycle(api: string, quizId: string, tokens: string[], seconds: number) {
  const latencies: number[] = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    tokens.map(async (token) => {
      while (Date.now() < until) {
        try {
          const attempt = await call<Attempt>(`${api}/quizzes/${quizId}/start`, token, "POST", {});
          const answers = attempt.questions.map((q) => ({
            questionId: q.id,
            response: { selected: ["a"] },
          }));
          const t0 = performance.now();
          await call(`${api}/attempts/${attempt.id}/submit`, token, "POST", { answers });
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  // Queries per submission: start and submit one attempt at a time, nothing else in flight.
  let queries = 0;
  const samples = 5;
  for (let n = 0; n < samples; n++) {
    const token = tokens[0] as string;
    const started = await callCounted<Attempt>(`${api}/quizzes/${quizId}/start`, token, "POST", {});
    const answers = started.data.questions.map((q) => ({
      questionId: q.id,
      response: { selected: ["a"] },
    }));
    const submitted = await callCounted(
      `${api}/attempts/${started.data.id}/submit`,
      token,
      "POST",
      { answers },
    );
    queries += submitted.count - started.count;
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  return {
    target: `POST /api/v1/attempts/:id/submit (${QUESTIONS} answers, graded at once)`,
    requestsPerSecond: Math.round(latencies.length / seconds),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    non2xx: errors,
    errors,
    queriesPerRequest: round(queries, samples),
  };
}
