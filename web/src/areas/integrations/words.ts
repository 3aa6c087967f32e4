import type { Health, Integration, SyncRun } from "../../api/integrations";

/** Badge colours (at least 4.5:1 with white text). */
export const CONNECTION_COLOR: Record<Integration["connectionStatus"], string> = {
  connected: "teal.9",
  disconnected: "gray.8",
  error: "red.9",
  testing: "blue.9",
  maintenance: "grape.9",
};

export const HEALTH_COLOR: Record<Health["status"], string> = {
  healthy: "teal.9",
  degraded: "orange.9",
  failing: "red.9",
  idle: "gray.8",
};

export const RUN_COLOR: Record<SyncRun["status"], string> = {
  queued: "blue.9",
  running: "grape.9",
  succeeded: "teal.9",
  partial: "orange.9",
  failed: "red.9",
  cancelled: "gray.8",
};

/** A run's duration in seconds, from its start to its end (or now while it runs). */
export function runSeconds(run: Pick<SyncRun, "startedAt" | "finishedAt">, now = Date.now()) {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return Math.max(0, Math.round((end - Date.parse(run.startedAt)) / 100) / 10);
}

/** A percentage for a 0–1 rate, or null. */
export const percent = (rate: number | null) =>
  rate === null ? null : Math.round(rate * 1000) / 10;

/** A value before or after a change, in words. */
export function changeValue(value: unknown, empty: string): string {
  if (value === null || value === undefined || value === "") return empty;
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
