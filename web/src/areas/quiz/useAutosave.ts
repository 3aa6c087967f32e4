import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../../api/errors";
import {
  type AnswerInput,
  type AnswerResponse,
  type QuizAttempt,
  useSaveAnswers,
} from "../../api/quiz";
import { normalized } from "./answers";

/** Quiet time after the last change before answers are saved. */
export const AUTOSAVE_DELAY_MS = 800;

/** Codes of a save refused because the attempt closed (time up, or submitted elsewhere). */
const CLOSED = new Set(["TIME_LIMIT_EXCEEDED", "ATTEMPT_NOT_IN_PROGRESS"]);

export type SaveState =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; at: string }
  | { kind: "error"; error: unknown };

function latestSave(attempt: QuizAttempt, ids?: string[]): string | null {
  const times = attempt.questions
    .filter((q) => !ids || ids.includes(q.id))
    .map((q) => q.savedAt)
    .filter((at): at is string => !!at)
    .sort();
  return times.at(-1) ?? null;
}

/**
 * The answers of an open attempt, kept in the page and saved to the server a moment after
 * each change (PUT /attempts/{id}/answers): one save at a time, changes made meanwhile go in
 * the next. Starts from what the server holds, so a reload resumes. A failed save keeps its
 * answers pending and says so until the next change or `retry`; a save refused because the
 * attempt closed calls `onClosed` (the page then shows what the server decided).
 */
export function useAutosave(
  attempt: QuizAttempt,
  userId: string,
  callbacks: { onClosed: () => void; onLocked: () => void },
) {
  const save = useSaveAnswers(userId, attempt.id);
  const [answers, setAnswers] = useState<Record<string, AnswerResponse | null>>(() =>
    Object.fromEntries(
      attempt.questions.map((q) => [q.id, (q.response as AnswerResponse | null) ?? null]),
    ),
  );
  const [marks, setMarks] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(attempt.questions.map((q) => [q.id, q.markedForReview])),
  );
  const [state, setState] = useState<SaveState>(() => {
    const at = latestSave(attempt);
    return at ? { kind: "saved", at } : { kind: "idle" };
  });
  const current = useRef({ answers, marks });
  current.current = { answers, marks };
  const dirty = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef(false);
  const again = useRef(false);
  const closed = useRef(false);
  const mutate = save.mutateAsync;
  const on = useRef(callbacks);
  on.current = callbacks;

  const pending = useCallback((): AnswerInput[] => {
    const { answers: a, marks: m } = current.current;
    return [...dirty.current].map((questionId) => ({
      questionId,
      response: normalized(a[questionId] ?? null),
      markedForReview: m[questionId] ?? false,
    }));
  }, []);

  const flush = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (closed.current) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    const batch = pending();
    if (batch.length === 0) return;
    dirty.current.clear();
    inFlight.current = true;
    setState({ kind: "saving" });
    try {
      const saved = await mutate(batch);
      const at = latestSave(
        saved,
        batch.map((a) => a.questionId),
      );
      setState(at ? { kind: "saved", at } : { kind: "idle" });
    } catch (error) {
      for (const answer of batch) dirty.current.add(answer.questionId);
      setState({ kind: "error", error });
      if (error instanceof ApiError && CLOSED.has(error.code)) {
        closed.current = true;
        on.current.onClosed();
      } else if (error instanceof ApiError && error.code === "QUESTION_LOCKED") {
        // A question behind the current one cannot change any more: stop sending it.
        const index = Number(error.field?.split(".")[1]);
        const locked = batch[index]?.questionId;
        if (locked) dirty.current.delete(locked);
        on.current.onLocked();
      }
      again.current = false;
      return;
    } finally {
      inFlight.current = false;
    }
    if (again.current || dirty.current.size > 0) {
      again.current = false;
      void flush();
    }
  }, [mutate, pending]);

  const schedule = useCallback(() => {
    // A change not saved yet is never shown as saved.
    if (!closed.current) setState({ kind: "saving" });
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
  }, [flush]);

  const setAnswer = useCallback(
    (questionId: string, response: AnswerResponse | null) => {
      setAnswers((all) => ({ ...all, [questionId]: response }));
      current.current.answers = { ...current.current.answers, [questionId]: response };
      dirty.current.add(questionId);
      schedule();
    },
    [schedule],
  );

  const setMark = useCallback(
    (questionId: string, marked: boolean) => {
      setMarks((all) => ({ ...all, [questionId]: marked }));
      current.current.marks = { ...current.current.marks, [questionId]: marked };
      dirty.current.add(questionId);
      schedule();
    },
    [schedule],
  );

  /** The answers not saved yet, handed to submit (which stops autosaving). */
  const takePending = useCallback((): AnswerInput[] => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    closed.current = true;
    return pending();
  }, [pending]);

  /** Autosaving again after a submit that failed. */
  const resume = useCallback(() => {
    closed.current = false;
  }, []);

  // Leaving the page saves what is pending.
  useEffect(
    () => () => {
      if (timer.current && dirty.current.size > 0) void flush();
    },
    [flush],
  );

  return {
    answers,
    marks,
    state,
    setAnswer,
    setMark,
    retry: () => void flush(),
    takePending,
    resume,
  };
}
