/**
 * Queries per request for `bench:api`: the server runs with `DEBUG_QUERY_COUNT=true`, so every
 * response carries `X-Query-Count`, its running total of database statements. Sending a
 * target's requests one at a time (nothing else in flight) and taking the differences between
 * consecutive responses gives the statements each request ran.
 */
import type autocannon from "autocannon";

export interface SampledTarget {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: autocannon.Request) => autocannon.Request;
}

/** The running total a response reports (NaN when the header is missing). */
export function countOf(response: Response): number {
  return Number(response.headers.get("x-query-count") ?? Number.NaN);
}

/**
 * Waits until requests the load generator gave up on have finished on the server (its query
 * total stops moving), so that they are not counted against the samples.
 */
export async function quiesce(origin: string): Promise<void> {
  const total = async () => countOf(await fetch(`${origin}/api/v1/health`));
  let last = await total();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await total();
    if (now === last) return;
    last = now;
  }
}

/** Mean statements per request over `samples` sequential requests of a target. */
export async function queriesPerRequest(target: SampledTarget, samples = 20): Promise<number> {
  const url = new URL(target.url);
  await quiesce(url.origin);
  const base = {
    method: target.method ?? "GET",
    path: `${url.pathname}${url.search}`,
    headers: target.headers ?? {},
    body: target.body,
  } as autocannon.Request;
  const counts: number[] = [];
  for (let n = 0; n <= samples; n++) {
    const request = target.setupRequest ? target.setupRequest({ ...base }) : base;
    const response = await fetch(`${url.origin}${request.path}`, {
      method: request.method,
      headers: request.headers as Record<string, string>,
      body: request.body as string | undefined,
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${request.method} ${request.path}: ${response.status}`);
    counts.push(countOf(response));
  }
  return round((counts.at(-1) as number) - (counts[0] as number), samples);
}

/** Statements per request to one decimal. */
export function round(queries: number, requests: number): number {
  return Math.round((queries / requests) * 10) / 10;
}
