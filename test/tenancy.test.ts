/**
 * The tenancy proof: walks every registered API route and calls it as organization B (its
 * administrator, and an API key holding every organization permission) against organization
 * A's objects. Each call must be refused (401/403/404), must not return A's data, and must not
 * change any of A's rows. The walk fails when a route is added without being covered here:
 * every path parameter needs a fixture, every mutating route that reaches object lookups needs
 * a valid body (an upload, for multipart routes), and routes outside any organization need a
 * stated reason.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegisteredRoute } from "../src/platform/http/server.js";
import { multipart } from "./multipart.js";
import { buildWorld, snapshotOfA, type World } from "./tenancy-fixtures.js";
import {
  BODIES,
  fillBody,
  fillPath,
  OUTSIDE_ORGANIZATIONS,
  PER_ITEM,
  UPLOADS,
} from "./tenancy-routes.js";

let w: World;

beforeAll(async () => {
  w = await buildWorld();
});

afterAll(() => w?.t.close());

function key(route: RegisteredRoute) {
  return `${route.method} ${route.url}`;
}

const REFUSED = [401, 403, 404];

describe("tenancy: organization B can neither read nor change organization A", () => {
  it("covers every registered route", () => {
    const routes = w.t.lyceum.routes;
    const uncovered: string[] = [];
    for (const route of routes) {
      const k = key(route);
      if (OUTSIDE_ORGANIZATIONS[k]) continue;
      const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
      if (("public" in route.access || "user" in route.access) && !params.length) {
        uncovered.push(
          `${k}: a public or self-service route; state in OUTSIDE_ORGANIZATIONS why it cannot touch another organization`,
        );
        continue;
      }
      for (const p of params) if (!w.fixtures[p]) uncovered.push(`${k}: no fixture for :${p}`);
      const objectParams = params.filter((p) => p !== "organizationId");
      if (
        route.method !== "GET" &&
        route.method !== "DELETE" &&
        objectParams.length &&
        !BODIES[k] &&
        !UPLOADS[k] &&
        !("platform" in route.access && route.access.platform)
      ) {
        if (!params.every((p) => p === "organizationId"))
          uncovered.push(`${k}: needs a valid body in BODIES`);
      }
      if (
        !params.length &&
        !("platform" in route.access && route.access.platform) &&
        !BODIES[k] &&
        route.method !== "GET"
      ) {
        uncovered.push(`${k}: needs a valid body in BODIES`);
      }
    }
    for (const k of Object.keys(OUTSIDE_ORGANIZATIONS)) {
      if (!routes.some((r) => key(r) === k))
        uncovered.push(`${k}: listed but no longer registered; remove it`);
    }
    expect(uncovered).toEqual([]);
  });

  it("refuses B's administrator and B's API key on every route aimed at A, and changes nothing of A", async () => {
    const before = await snapshotOfA(w);
    const leaks: string[] = [];
    const accepted: string[] = [];
    for (const route of w.t.lyceum.routes) {
      const k = key(route);
      if (OUTSIDE_ORGANIZATIONS[k]) continue;
      const body = BODIES[k]
        ? fillBody(BODIES[k], { ...w.fixtures, memberEmail: w.memberEmail })
        : route.method === "GET" || route.method === "DELETE"
          ? undefined
          : {};
      const upload = UPLOADS[k];
      const form = upload ? multipart(upload.name, upload.type, upload.bytes) : {};
      const targets = [fillPath(route.url, w.fixtures)];
      // Also aim at A's objects through B's own organization path, which passes the
      // route-level check and must be stopped by the object lookup.
      if (route.url.includes(":organizationId") && /:(?!organizationId)\w+/.test(route.url)) {
        targets.push(fillPath(route.url, { ...w.fixtures, organizationId: w.orgB }));
      }
      for (const url of targets) {
        for (const [who, as] of [
          ["B's administrator", w.adminB],
          ["B's API key", w.keyB],
        ] as const) {
          const res = await w.t.http.request(route.method as "GET", url, {
            ...(upload ? form : { body }),
            as,
          });
          const text = typeof res.body === "string" ? res.body : JSON.stringify(res.body);
          const refused = PER_ITEM.has(k)
            ? res.status === 200 && res.body.data.accepted === 0
            : REFUSED.includes(res.status);
          if (!refused)
            accepted.push(`${route.method} ${url} as ${who}: ${res.status} ${text.slice(0, 200)}`);
          for (const secret of w.secretsOfA)
            if (text.includes(secret))
              leaks.push(`${route.method} ${url} as ${who} returned "${secret}"`);
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(leaks).toEqual([]);
    expect(await snapshotOfA(w)).toEqual(before);
  });

  it("keeps A's private courses out of B's catalog", async () => {
    for (const as of [w.adminB, w.keyB, {}]) {
      const res = await w.t.http.get("/api/v1/courses?limit=100", as);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain("Alpha Confidential Onboarding");
      // Nor do A's courses show through the categories the catalog offers.
      const categories = await w.t.http.get("/api/v1/courses/categories", as);
      expect(categories.status).toBe(200);
      expect(categories.body.data.map((c: { category: string }) => c.category)).not.toContain(
        "alpha",
      );
    }
  });

  it("keeps A's own lookup values from B", async () => {
    const res = await w.t.http.get(`/api/v1/lookup-values?organizationId=${w.orgA}`, w.adminB);
    expect(res.status).toBe(404);
    const global = await w.t.http.get("/api/v1/lookup-values?category=activity-event", w.adminB);
    expect(JSON.stringify(global.body)).not.toContain("alpha-secret-drill");
  });

  it("lists only B's own organizations to B", async () => {
    const res = await w.t.http.get("/api/v1/organizations", w.adminB);
    expect(res.status).toBe(200);
    expect(res.body.data.map((o: { id: string }) => o.id)).toEqual([w.orgB]);
  });
});
