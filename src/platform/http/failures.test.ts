import { connect } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, signedInUser, signIn } from "../../../test/factories.js";
import { createTestApp, type Res, type TestApp } from "../../../test/harness.js";
import { CHECK_CONSTRAINTS, fromDatabaseError, UNIQUE_CONSTRAINTS } from "./constraints.js";
import { ERROR_CODES } from "./errors.js";
import { queryFlag } from "./pagination.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { HOST: "127.0.0.1", PORT: "0" } });
});
afterAll(() => t.close());

function expectEnvelope(res: Res, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ success: false, error: { code } });
  expect(ERROR_CODES[code as keyof typeof ERROR_CODES]).toBe(status);
  expect(res.body.requestId).toBe(res.headers["x-request-id"]);
  expect(res.body.error.stack).toBeUndefined();
}

/** Sends raw bytes to the listening server and reads the whole answer. */
function raw(port: number, request: string): Promise<{ status: number; head: string; body: any }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let text = "";
    socket.on("data", (chunk) => {
      text += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = text.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), head, body: JSON.parse(body) });
    });
  });
}

describe("refusals from the router and the HTTP parser use the envelope", () => {
  it("answers a path segment over 200 characters with 414 URI_TOO_LONG", async () => {
    const res = await t.http.get(`/api/v1/courses/${"9".repeat(300)}`);
    expectEnvelope(res, 414, "URI_TOO_LONG");
  });

  it("answers a malformed URL with 400 BAD_REQUEST", async () => {
    const res = await t.http.get("/api/v1/courses/%E0%A4%A");
    expectEnvelope(res, 400, "BAD_REQUEST");
  });

  it("answers a query string over the header limit with 431 HEADERS_TOO_LARGE and a request id", async () => {
    const address = (await t.lyceum.start()) as string;
    const { port } = new URL(address);
    const answer = await raw(
      Number(port),
      `GET /api/v1/health?q=${"a".repeat(20_000)} HTTP/1.1\r\nHost: lyceum.test\r\n\r\n`,
    );
    expect(answer.status).toBe(431);
    expect(answer.body).toMatchObject({ success: false, error: { code: "HEADERS_TOO_LARGE" } });
    expect(answer.head.toLowerCase()).toContain(`x-request-id: ${answer.body.requestId}`);
  });
});

describe("bodies", () => {
  it("refuses an unknown field at any depth, naming it", async () => {
    const { token } = await signedInUser(t);
    const top = await t.http.patch(
      "/api/v1/users/me",
      { firstName: "Ada", nickname: "x" },
      { token },
    );
    expectEnvelope(top, 400, "VALIDATION_ERROR");
    expect(top.body.error.field).toBe("nickname");
    const admin = await makeUser(t, { platformAdmin: true });
    const as = await signIn(t, admin.email);
    const nested = await t.http.post(
      "/api/v1/courses",
      { code: "X-1", title: "Nested", tags: ["a"], extra: { deep: true } },
      as,
    );
    expectEnvelope(nested, 400, "VALIDATION_ERROR");
    expect(nested.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(
      "extra",
    );
  });

  it("takes an empty JSON object as no body on a bodiless action, and refuses any field", async () => {
    const { token } = await signedInUser(t);
    const empty = await t.http.post("/api/v1/notifications/read-all", {}, { token });
    expect(empty.status).toBe(200);
    const none = await t.http.request("POST", "/api/v1/notifications/read-all", { as: { token } });
    expect(none.status).toBe(200);
    const field = await t.http.post("/api/v1/notifications/read-all", { all: true }, { token });
    expectEnvelope(field, 400, "VALIDATION_ERROR");
    expect(field.body.error.field).toBe("all");
    const list = await t.http.post("/api/v1/notifications/read-all", [1], { token });
    expectEnvelope(list, 400, "VALIDATION_ERROR");
  });

  it("refuses a body on GET", async () => {
    const { token } = await signedInUser(t);
    const res = await t.http.request("GET", "/api/v1/users/me", {
      as: { token },
      payload: '{"a":1}',
      headers: { "content-type": "application/json" },
    });
    expectEnvelope(res, 400, "VALIDATION_ERROR");
    expect(res.body.error.message).toContain("takes no body");
  });

  it("answers plain text and multipart sent to a JSON operation with 415", async () => {
    const text = await t.http.request("POST", "/api/v1/auth/login", {
      payload: "hello",
      headers: { "content-type": "text/plain" },
    });
    expectEnvelope(text, 415, "UNSUPPORTED_MEDIA_TYPE");
    const multipart = await t.http.request("POST", "/api/v1/auth/login", {
      payload: '--b\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.co\r\n--b--\r\n',
      headers: { "content-type": "multipart/form-data; boundary=b" },
    });
    expectEnvelope(multipart, 415, "UNSUPPORTED_MEDIA_TYPE");
  });
});

describe("objects that do not exist", () => {
  it("answers 404 to a platform administrator naming an organization that does not exist", async () => {
    const admin = await makeUser(t, { platformAdmin: true });
    const as = await signIn(t, admin.email);
    const { org } = await makeOrganization(t);
    expect((await t.http.get(`/api/v1/organizations/${org.id}/members`, as)).status).toBe(200);
    const res = await t.http.get(
      "/api/v1/organizations/0190a3a4-0000-7000-8000-000000000000/members",
      as,
    );
    expectEnvelope(res, 404, "NOT_FOUND");
  });
});

describe("database refusals map to the domain's codes", () => {
  it("names every mapped constraint as the database does", async () => {
    const names = await sql<{ name: string }>`
      select conname as name from pg_constraint where connamespace = 'public'::regnamespace
      union select indexname from pg_indexes where schemaname = 'public'`.execute(t.system.db);
    const existing = new Set(names.rows.map((r) => r.name));
    const mapped = [...Object.keys(UNIQUE_CONSTRAINTS), ...Object.keys(CHECK_CONSTRAINTS)];
    expect(mapped.filter((name) => !existing.has(name))).toEqual([]);
  });

  it("maps unique, foreign-key, check and value errors without passing the database's text on", () => {
    const cases: Array<[object, string, string | undefined]> = [
      [
        { code: "23505", constraint: "enrollments_user_id_course_id_key" },
        "ALREADY_ENROLLED",
        undefined,
      ],
      [{ code: "23505", constraint: "something_else_key" }, "CONFLICT", undefined],
      [
        {
          code: "23503",
          message: 'insert or update on table "enrollments" violates foreign key constraint',
          detail: 'Key (course_id)=(x) is not present in table "courses".',
        },
        "NOT_FOUND",
        "courseId",
      ],
      [
        { code: "23503", message: 'update or delete on table "courses" violates foreign key' },
        "CONFLICT",
        undefined,
      ],
      [{ code: "23514", constraint: "cohorts_not_oversold" }, "COHORT_FULL", undefined],
      [{ code: "23514", constraint: "courses_price_check" }, "VALIDATION_ERROR", undefined],
      [
        { code: "22003", message: 'value "1e300" is out of range for type integer' },
        "VALIDATION_ERROR",
        undefined,
      ],
      [{ code: "40001" }, "CONFLICT", undefined],
    ];
    for (const [error, code, field] of cases) {
      const mapped = fromDatabaseError(error);
      expect(mapped?.code).toBe(code);
      expect(mapped?.field).toBe(field);
      expect(mapped?.message).not.toMatch(/table|constraint|type integer/);
    }
    expect(fromDatabaseError(new Error("ECONNREFUSED"))).toBeNull();
    expect(fromDatabaseError({ code: "ENOENT" })).toBeNull();
  });
});

describe("query flags", () => {
  it("read true/false and 1/0, and refuse anything else", () => {
    const flag = queryFlag();
    expect([flag.parse("true"), flag.parse("1"), flag.parse("false"), flag.parse("0")]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(flag.safeParse("yes").success).toBe(false);
  });
});

describe("unexpected failures", () => {
  it("never show the stack, even in development, unless LYCEUM_DEBUG_ERRORS asks", async () => {
    for (const [env, shown] of [
      [{ NODE_ENV: "development" }, false],
      [{ NODE_ENV: "development", LYCEUM_DEBUG_ERRORS: "true" }, true],
    ] as const) {
      const app = await createTestApp({ env: { ...env, LYCEUM_SECRET: "d".repeat(40) } });
      const { token } = await signedInUser(app);
      await app.lyceum.database.close();
      const res = await app.http.get("/api/v1/users/me", { token });
      expect(res.status).toBe(500);
      expect(res.body.error.message).toBe("Something went wrong on our side");
      expect(typeof res.body.error.stack === "string").toBe(shown);
      await app.close().catch(() => {});
    }
  });
});
