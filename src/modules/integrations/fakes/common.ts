import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What the fake learning systems share: a real `node:http` server on 127.0.0.1, the list of
 * requests received, switches that make the next answers fail the ways real systems fail, and
 * a deterministic generator of courses, people and enrollments that computes record `n` on
 * demand (so a fake can serve 100,000 enrollments without holding them).
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The form-encoded body (empty for other bodies). */
  form: URLSearchParams;
  authorization: string | undefined;
}

/** A way the next answers go wrong. */
export type Fault =
  /** HTTP 429 (Canvas: 403 "Rate Limit Exceeded") with this Retry-After, seconds or HTTP date. */
  | { kind: "rate-limit"; retryAfter?: string }
  /** The credentials are refused as expired. */
  | { kind: "expired-token" }
  /** The answer comes after this long (longer than the client's timeout, to test it). */
  | { kind: "slow"; ms: number }
  /** JSON, but not the documented shape (fields missing or of the wrong type). */
  | { kind: "malformed" }
  /** The body is cut short mid-JSON, as when a proxy drops the connection. */
  | { kind: "partial" }
  /** A server error with this status (500 unless given). */
  | { kind: "server-error"; status?: number };

interface QueuedFault {
  fault: Fault;
  remaining: number;
  match: ((req: RecordedRequest) => boolean) | undefined;
}

export class Faults {
  private readonly queue: QueuedFault[] = [];

  /** Applies `fault` to the next `times` requests (that `match` accepts, when given). */
  add(fault: Fault, options: { times?: number; match?: (req: RecordedRequest) => boolean } = {}) {
    this.queue.push({ fault, remaining: options.times ?? 1, match: options.match });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** The fault for this request, if one is queued for it. */
  take(req: RecordedRequest): Fault | null {
    const index = this.queue.findIndex((q) => q.remaining > 0 && (!q.match || q.match(req)));
    if (index < 0) return null;
    const queued = this.queue[index]!;
    queued.remaining--;
    if (queued.remaining <= 0) this.queue.splice(index, 1);
    return queued.fault;
  }
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  faults: Faults;
  close(): Promise<void>;
}

/** Starts a server on a free port of 127.0.0.1 that records requests and answers via `handle`. */
export async function startFake(
  handle: (req: RecordedRequest, fault: Fault | null) => Answer | Promise<Answer>,
  options: { record?: boolean } = {},
): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const faults = new Faults();
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer(async (incoming: IncomingMessage, res: ServerResponse) => {
    try {
      const body = await readBody(incoming);
      const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
      const isForm = (incoming.headers["content-type"] ?? "").includes(
        "application/x-www-form-urlencoded",
      );
      const req: RecordedRequest = {
        method: incoming.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        form: new URLSearchParams(isForm ? body : ""),
        authorization: incoming.headers.authorization,
      };
      if (options.record !== false) requests.push(req);
      const fault = faults.take(req);
      if (fault?.kind === "slow") await new Promise((r) => setTimeout(r, fault.ms));
      const answer = await handle(req, fault);
      const text = answer.raw ?? JSON.stringify(answer.body ?? null);
      if (res.destroyed) return;
      res.writeHead(answer.status, {
        "content-type": "application/json; charset=utf-8",
        ...answer.headers,
      });
      res.end(text);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Cuts a JSON text in the middle, as a dropped connection would. */
export function truncated(value: unknown): string {
  const text = JSON.stringify(value);
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}

/** A number in [0, 1) fixed by its inputs (a small integer hash), for deterministic seeds. */
export function unit(...keys: number[]): number {
  let h = 0x9e3779b9;
  for (const k of keys) {
    h = Math.imul(h ^ (k | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return (h >>> 0) / 2 ** 32;
}

const FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia"];
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson"];
const TOPICS = ["Safety", "Compliance", "Leadership", "Onboarding", "Security", "First aid"];

/** 2026-01-05T09:00:00Z: every generated date is counted from here. */
export const SEED_EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0);
const DAY = 86_400_000;

export interface SeedCourse {
  index: number;
  code: string;
  title: string;
  summary: string;
  startsAt: Date;
  endsAt: Date;
  updatedAt: Date;
}

export function seedCourse(index: number): SeedCourse {
  const topic = TOPICS[index % TOPICS.length]!;
  const startsAt = new Date(SEED_EPOCH + index * DAY);
  return {
    index,
    code: `C${String(index + 1).padStart(3, "0")}`,
    title: `${topic} ${Math.floor(index / TOPICS.length) + 1}`,
    summary: `<p>Everything about ${topic.toLowerCase()}.</p>`,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 90 * DAY),
    updatedAt: new Date(SEED_EPOCH + index * 3_600_000),
  };
}

export interface SeedPerson {
  index: number;
  firstName: string;
  lastName: string;
  email: string;
  username: string;
}

export function seedPerson(index: number): SeedPerson {
  const firstName = FIRST[index % FIRST.length]!;
  const lastName = LAST[Math.floor(index / FIRST.length) % LAST.length]!;
  return {
    index,
    firstName,
    lastName,
    email: `learner${index + 1}@example.org`,
    username: `learner${index + 1}`,
  };
}

export type SeedState = "not-started" | "in-progress" | "completed" | "failed" | "dropped";

export interface SeedEnrollment {
  courseIndex: number;
  /** Position within the course. */
  index: number;
  person: SeedPerson;
  state: SeedState;
  enrolledAt: Date;
  lastAccessAt: Date | null;
  completedAt: Date | null;
  progressPercent: number;
  /** Out of 100; null when nothing was graded. */
  score: number | null;
  timeSpentMinutes: number;
}

/**
 * Enrollment `index` of course `courseIndex`: its person is unique to it (person number
 * `courseIndex * perCourse + index`). One in five completes, one in ten fails, one in twenty
 * is dropped, a quarter have not started; the rest are in progress.
 */
export function seedEnrollment(
  courseIndex: number,
  index: number,
  perCourse: number,
): SeedEnrollment {
  const r = unit(courseIndex, index);
  const state: SeedState =
    index % 5 === 0
      ? "completed"
      : index % 10 === 3
        ? "failed"
        : index % 20 === 7
          ? "dropped"
          : r < 0.3
            ? "not-started"
            : "in-progress";
  const enrolledAt = new Date(SEED_EPOCH + courseIndex * DAY + index * 60_000);
  const progressPercent =
    state === "completed"
      ? 100
      : state === "failed"
        ? 100
        : state === "not-started"
          ? 0
          : 5 + Math.floor(unit(courseIndex, index, 1) * 90);
  const started = state !== "not-started";
  const completedAt =
    state === "completed" ? new Date(enrolledAt.getTime() + (3 + (index % 20)) * DAY) : null;
  const score =
    state === "completed"
      ? 70 + Math.floor(unit(courseIndex, index, 2) * 31)
      : state === "failed"
        ? 20 + Math.floor(unit(courseIndex, index, 2) * 30)
        : null;
  return {
    courseIndex,
    index,
    person: seedPerson(courseIndex * perCourse + index),
    state,
    enrolledAt,
    lastAccessAt: started ? new Date(enrolledAt.getTime() + 2 * DAY) : null,
    completedAt,
    progressPercent,
    score,
    timeSpentMinutes: started ? 10 + (index % 50) * 3 : 0,
  };
}

export const seconds = (date: Date | null): number =>
  date ? Math.floor(date.getTime() / 1000) : 0;
