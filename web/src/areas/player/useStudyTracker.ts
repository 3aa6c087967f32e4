import { useCallback, useEffect, useRef, useState } from "react";
import { HEARTBEAT_SECONDS, type Heartbeat, useHeartbeat } from "../../api/player";

/** Where the learner is in a lesson (media players report their time and how much was seen). */
export type PositionSource = () => Pick<Heartbeat, "position" | "percent">;

export interface StudyTracker {
  /** Seconds studied in this tab that the server has not been told about yet. */
  pending: number;
  /** Media players set this to report their position with each heartbeat. */
  source: React.RefObject<PositionSource | null>;
  /** Sends a heartbeat now (before completing, on pause, at the end of media). */
  flush: (extra?: Pick<Heartbeat, "position" | "percent">) => Promise<void>;
}

/**
 * Counts study time while the lesson is open and its tab visible, and reports it with the
 * position every HEARTBEAT_SECONDS (POST /lessons/{id}/heartbeat), on demand, and when the
 * lesson closes. The server counts at most the time that really passed between heartbeats.
 */
export function useStudyTracker(userId: string, lessonId: string, active: boolean): StudyTracker {
  const heartbeat = useHeartbeat(userId, lessonId);
  const send = heartbeat.mutateAsync;
  const counted = useRef(0);
  const source = useRef<PositionSource | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const [pending, setPending] = useState(0);

  const flush = useCallback(
    async (extra?: Pick<Heartbeat, "position" | "percent">) => {
      const seconds = counted.current;
      counted.current = 0;
      setPending(0);
      const beat: Heartbeat = { seconds, ...(source.current?.() ?? {}), ...extra };
      if (beat.position !== undefined) beat.position = Math.max(0, Math.floor(beat.position));
      if (beat.percent !== undefined) beat.percent = Math.min(100, Math.max(0, beat.percent));
      // One at a time, in order: the server counts at most the time since the previous one.
      queue.current = queue.current.then(() =>
        send(beat).then(
          () => undefined,
          // A lost heartbeat is not worth an error: the next one carries on.
          () => undefined,
        ),
      );
      await queue.current;
    },
    [send],
  );

  useEffect(() => {
    if (!active) return;
    let sinceBeat = 0;
    const tick = window.setInterval(() => {
      if (document.visibilityState !== "visible") return;
      counted.current += 1;
      sinceBeat += 1;
      setPending(counted.current);
      if (sinceBeat >= HEARTBEAT_SECONDS) {
        sinceBeat = 0;
        void flush();
      }
    }, 1000);
    return () => {
      window.clearInterval(tick);
      // Leaving the lesson: report what is left.
      if (counted.current > 0 || source.current) void flush();
    };
  }, [active, flush]);

  return { pending, source, flush };
}
