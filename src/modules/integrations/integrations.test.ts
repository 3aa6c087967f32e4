import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeOrganization } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { systemCtx } from "../../platform/context.js";
import { SecretBox } from "../../platform/secrets.js";
import {
  type ConnectionTestResult,
  type Connector,
  ConnectorError,
  type ConnectorSpec,
} from "./connectors/types.js";
import { openCredentials } from "./credentials.js";
import { reencryptCredentials } from "./integrations.js";

/** What the injected connector answers; each test sets it. */
let behaviour: (spec: ConnectorSpec) => Promise<ConnectionTestResult> = async () => {
  throw new Error("no behaviour set");
};
const specs: ConnectorSpec[] = [];

function fakeConnector(spec: ConnectorSpec): Connector {
  specs.push(spec);
  if (spec.type === "file")
    throw new ConnectorError("unsupported", "Lyceum has no file connector to call.");
  const never = () => Promise.reject(new ConnectorError("unsupported", "not in this test"));
  return {
    type: spec.type,
    testConnection: () => behaviour(spec),
    listCourses: never,
    listEnrollments: never,
    enrol: never,
  };
}

const TOKEN = "moodle-token-7f3a9c1e5b";
const CLIENT_SECRET = "canvas-client-secret-91ab";

let t: TestApp;
let orgId: string;
let admin: Credentials;
let learner: Credentials;
let otherOrgId: string;
let otherAdmin: Credentials;

beforeAll(async () => {
  t = await createTestApp({ connectors: fakeConnector });
  const a = await makeOrganization(t, {
    name: "Integrations Org",
    people: [{ key: "learner", roles: ["learner"] }],
  });
  orgId = a.org.id;
  admin = a.people.admin;
  learner = a.people.learner as Credentials;
  await t.system.db
    .updateTable("organizations")
    .set({ timezone: "Europe/Berlin" })
    .where("id", "=", orgId)
    .execute();
  const b = await makeOrganization(t, { name: "Other Org" });
  otherOrgId = b.org.id;
  otherAdmin = b.people.admin;
});

afterAll(() => t?.close());

beforeEach(() => {
  specs.length = 0;
});

const base = `/api/v1/organizations`;
const moodle = (overrides: Record<string, unknown> = {}) => ({
  name: "Campus Moodle",
  code: "moodle-main",
  lmsType: "moodle",
  method: "api",
  authType: "api-token",
  credentials: { token: TOKEN },
  baseUrl: "https://moodle.example.org/",
  ...overrides,
});

async function create(body: Record<string, unknown>, as = admin) {
  const res = await t.http.post(`${base}/${orgId}/lms-integrations`, body, as);
  return res;
}

async function storedRow(id: string) {
  return t.system.db
    .selectFrom("lms_integrations")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

async function auditsOf(id: string) {
  return t.system.db
    .selectFrom("audit_logs")
    .selectAll()
    .where("entity_id", "=", id)
    .orderBy("id")
    .execute();
}

describe("integration configurations", () => {
  it("creates, reads, lists with filters, updates and removes an integration", async () => {
    const res = await create(
      moodle({
        syncFrequency: "cron",
        syncCron: "0 2 * * *",
        direction: "both",
        options: { category: 7 },
        ownerIds: [],
      }),
    );
    expect(res.status).toBe(201);
    const created = res.body.data;
    expect(created).toMatchObject({
      organizationId: orgId,
      name: "Campus Moodle",
      code: "moodle-main",
      lmsType: "moodle",
      method: "api",
      authType: "api-token",
      credentials: { token: "set" },
      baseUrl: "https://moodle.example.org",
      apiVersion: "v1",
      dataFormat: "json",
      syncFrequency: "cron",
      syncCron: "0 2 * * *",
      timezone: "Europe/Berlin",
      // 02:00 in Berlin (winter time) is 01:00 UTC; the clock stands at 2 March 09:00 UTC.
      nextSyncAt: "2026-03-03T01:00:00.000Z",
      direction: "both",
      isActive: true,
      connectionStatus: "disconnected",
      errorCount: 0,
      maxRetries: 3,
      timeoutSeconds: 30,
      rateLimitPerHour: 1000,
      options: { category: 7 },
      fieldMappings: [],
    });

    const canvas = await create({
      name: "Canvas",
      code: "canvas",
      lmsType: "canvas",
      method: "api",
      authType: "oauth2-client-credentials",
      credentials: {
        clientId: "client-abc",
        clientSecret: CLIENT_SECRET,
        tokenUrl: "https://canvas.example.edu/login/oauth2/token",
      },
      baseUrl: "https://canvas.example.edu",
      isActive: false,
    });
    expect(canvas.status).toBe(201);
    expect(canvas.body.data.credentials).toEqual({
      clientId: "client-abc",
      tokenUrl: "https://canvas.example.edu/login/oauth2/token",
      clientSecret: "set",
    });

    const got = await t.http.get(`/api/v1/lms-integrations/${created.id}`, admin);
    expect(got.status).toBe(200);
    expect(got.body.data).toEqual(created);

    const all = await t.http.get(`${base}/${orgId}/lms-integrations`, admin);
    expect(all.body.data.map((i: { code: string }) => i.code)).toEqual(["canvas", "moodle-main"]);
    expect(all.body.meta.pagination).toMatchObject({ total: 2, page: 1 });
    const active = await t.http.get(`${base}/${orgId}/lms-integrations?isActive=true`, admin);
    expect(active.body.data.map((i: { code: string }) => i.code)).toEqual(["moodle-main"]);
    const canvases = await t.http.get(`${base}/${orgId}/lms-integrations?lmsType=canvas`, admin);
    expect(canvases.body.data.map((i: { code: string }) => i.code)).toEqual(["canvas"]);
    const byName = await t.http.get(`${base}/${orgId}/lms-integrations?sort=name&limit=1`, admin);
    expect(byName.body.data.map((i: { code: string }) => i.code)).toEqual(["moodle-main"]);
    expect(byName.body.meta.pagination).toMatchObject({ total: 2, hasNext: true });

    const patched = await t.http.patch(
      `/api/v1/lms-integrations/${created.id}`,
      { name: "Moodle (campus)", syncFrequency: "on-demand", timeoutSeconds: 10 },
      admin,
    );
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      name: "Moodle (campus)",
      syncFrequency: "on-demand",
      syncCron: null,
      nextSyncAt: null,
      timeoutSeconds: 10,
      credentials: { token: "set" },
    });

    // PUT replaces the configuration: fields left out return to their defaults, the
    // credentials (left out) are kept.
    const put = await t.http.put(
      `/api/v1/lms-integrations/${created.id}`,
      {
        name: "Moodle",
        code: "moodle-main",
        lmsType: "moodle",
        method: "api",
        authType: "api-token",
        baseUrl: "https://moodle.example.org",
      },
      admin,
    );
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({
      name: "Moodle",
      direction: "import",
      timeoutSeconds: 30,
      options: {},
      credentials: { token: "set" },
    });
    const row = await storedRow(created.id);
    expect(openCredentials(t.system, row)).toEqual({ kind: "api-token", token: TOKEN });

    const removed = await t.http.delete(`/api/v1/lms-integrations/${canvas.body.data.id}`, admin);
    expect(removed.status).toBe(200);
    expect(
      (await t.http.get(`/api/v1/lms-integrations/${canvas.body.data.id}`, admin)).status,
    ).toBe(404);
    const gone = await storedRow(canvas.body.data.id);
    expect(gone.deleted_at).not.toBeNull();
    expect(gone.credentials_sealed).toBeNull();
    expect(gone.credentials_public).toBeNull();
    // Its code is free again.
    expect((await create({ ...moodle(), code: "canvas" })).status).toBe(201);

    const actions = (await auditsOf(created.id)).map((a) => a.action);
    expect(actions).toEqual([
      "lms-integration.create",
      "lms-integration.update",
      "lms-integration.update",
    ]);
    expect((await auditsOf(canvas.body.data.id)).map((a) => a.action)).toEqual([
      "lms-integration.create",
      "lms-integration.delete",
    ]);
  });

  it("refuses bad configurations with stable codes at the field at fault", async () => {
    const cases: [Record<string, unknown>, number, string, string][] = [
      [moodle({ code: "moodle-main" }), 409, "CODE_TAKEN", ""],
      [moodle({ code: "bad code!" }), 400, "VALIDATION_ERROR", "code"],
      [moodle({ lmsType: "corporate_lms" }), 400, "VALIDATION_ERROR", "lmsType"],
      [moodle({ code: "x1", baseUrl: null }), 400, "VALIDATION_ERROR", "baseUrl"],
      [moodle({ code: "x2", credentials: {} }), 400, "VALIDATION_ERROR", "credentials.token"],
      [
        moodle({ code: "x3", credentials: { token: "t", password: "p" } }),
        400,
        "VALIDATION_ERROR",
        "credentials.password",
      ],
      [
        moodle({ code: "x4", syncFrequency: "cron", syncCron: "not a cron" }),
        400,
        "VALIDATION_ERROR",
        "syncCron",
      ],
      [
        moodle({ code: "x5", syncFrequency: "cron", syncCron: "* * * * *" }),
        400,
        "VALIDATION_ERROR",
        "syncCron",
      ],
      [moodle({ code: "x6", syncCron: "0 2 * * *" }), 400, "VALIDATION_ERROR", "syncCron"],
      [
        moodle({ code: "x7", fieldMappings: [{ source: "email", target: "person.mail" }] }),
        400,
        "VALIDATION_ERROR",
        "fieldMappings.0.target",
      ],
      [
        moodle({
          code: "x8",
          fieldMappings: [
            { source: "mail", target: "person.email" },
            { source: "email", target: "person.email" },
          ],
        }),
        400,
        "VALIDATION_ERROR",
        "fieldMappings.1.target",
      ],
      [
        moodle({
          code: "x9",
          validationRules: [
            { rule: "required", field: "person.email" },
            { rule: "pattern", field: "person.email", pattern: "([a-z" },
          ],
        }),
        400,
        "VALIDATION_ERROR",
        "validationRules.1.pattern",
      ],
      [
        moodle({
          code: "x10",
          validationRules: [{ rule: "pattern", field: "grade", pattern: "(a+)+$" }],
        }),
        400,
        "VALIDATION_ERROR",
        "validationRules.0.pattern",
      ],
      [
        moodle({
          code: "x11",
          transformationRules: [{ op: "date-format", field: "completedAt", format: "DD.MM" }],
        }),
        400,
        "VALIDATION_ERROR",
        "transformationRules.0.format",
      ],
      [
        moodle({
          code: "x12",
          transformationRules: [{ op: "explode", field: "completedAt" }],
        }),
        400,
        "VALIDATION_ERROR",
        "transformationRules.0.op",
      ],
      [
        moodle({ code: "x13", fieldMappings: [{ source: "name", target: "person.fullName" }] }),
        400,
        "VALIDATION_ERROR",
        "fieldMappings.0.target",
      ],
      [
        moodle({ code: "x14", validationRules: [{ rule: "range", field: "score" }] }),
        400,
        "VALIDATION_ERROR",
        "validationRules.0",
      ],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await create(body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({
        body,
        status,
        code,
      });
      if (field) expect(res.body.error.field).toBe(field);
    }
    const count = await t.system.db
      .selectFrom("lms_integrations")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("organization_id", "=", orgId)
      .where("code", "like", "x%")
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it("never answers or audits a secret; the stored row holds ciphertext that opens", async () => {
    const res = await create({
      name: "TalentLMS",
      code: "talent",
      lmsType: "talentlms",
      method: "api",
      authType: "basic",
      credentials: { username: "api-user", password: "hunter2-talent-password" },
      baseUrl: "https://acme.talentlms.com",
    });
    expect(res.status).toBe(201);
    const id = res.body.data.id;
    expect(res.body.data.credentials).toEqual({ username: "api-user", password: "set" });
    const row = await storedRow(id);
    expect(row.credentials_sealed).toMatch(/^v1\.[0-9a-f]{12}\./);
    expect(row.credentials_sealed).not.toContain("hunter2");
    expect(JSON.stringify(row)).not.toContain("hunter2-talent-password");
    expect(row.credentials_key_id).toBe(t.system.secrets.keyId);
    expect(openCredentials(t.system, row)).toEqual({
      kind: "basic",
      username: "api-user",
      password: "hunter2-talent-password",
    });

    // Replacing credentials: the new secret is stored, the old one gone, neither shown.
    const patched = await t.http.patch(
      `/api/v1/lms-integrations/${id}`,
      { credentials: { username: "api-user-2", password: "second-secret-pass" } },
      admin,
    );
    expect(patched.body.data.credentials).toEqual({ username: "api-user-2", password: "set" });
    expect(openCredentials(t.system, await storedRow(id))).toMatchObject({
      password: "second-secret-pass",
    });
    // Changing the auth type without credentials is refused; with null they are erased.
    const switched = await t.http.patch(
      `/api/v1/lms-integrations/${id}`,
      { authType: "api-token" },
      admin,
    );
    expect(switched.status).toBe(400);
    expect(switched.body.error.field).toBe("credentials");

    const list = await t.http.get(`${base}/${orgId}/lms-integrations?limit=100`, admin);
    const answers = JSON.stringify([res.body, patched.body, list.body]);
    const audits = JSON.stringify(await t.system.db.selectFrom("audit_logs").selectAll().execute());
    for (const secret of [
      TOKEN,
      CLIENT_SECRET,
      "hunter2-talent-password",
      "second-secret-pass",
      row.credentials_sealed as string,
    ]) {
      expect(answers).not.toContain(secret);
      expect(audits).not.toContain(secret);
    }
    const update = (await auditsOf(id)).find((a) => a.action === "lms-integration.update");
    expect(update?.after).toMatchObject({
      credentialsReplaced: true,
      // The audit log's own redaction hides even the marker of a password.
      credentials: { username: "api-user-2", password: "[redacted]" },
    });

    const erased = await t.http.patch(
      `/api/v1/lms-integrations/${id}`,
      { authType: "none", method: "file-upload", credentials: null },
      admin,
    );
    expect(erased.status).toBe(200);
    expect(erased.body.data.credentials).toBeNull();
    expect((await storedRow(id)).credentials_sealed).toBeNull();
  });

  it("refuses a learner, and keeps another organization's administrator out", async () => {
    const res = await create(moodle({ code: "perm" }));
    const id = res.body.data.id;
    const refused = await create(moodle({ code: "by-learner" }), learner);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FORBIDDEN");
    expect((await t.http.get(`/api/v1/lms-integrations/${id}`, learner)).status).toBe(403);
    expect((await t.http.get(`${base}/${orgId}/lms-integrations`, learner)).status).toBe(403);
    for (const [method, path, body] of [
      ["GET", `/api/v1/lms-integrations/${id}`, undefined],
      ["PATCH", `/api/v1/lms-integrations/${id}`, { name: "Taken" }],
      ["POST", `/api/v1/lms-integrations/${id}/test-connection`, undefined],
      ["POST", `/api/v1/lms-integrations/${id}/mapping-preview`, { record: {} }],
      ["DELETE", `/api/v1/lms-integrations/${id}`, undefined],
    ] as const) {
      const other = await t.http.request(method, path, { body, as: otherAdmin });
      expect([method, path, other.status]).toEqual([method, path, 404]);
    }
    expect((await t.http.get(`${base}/${orgId}/lms-integrations`, otherAdmin)).status).toBe(403);
    const theirs = await t.http.get(`${base}/${otherOrgId}/lms-integrations`, otherAdmin);
    expect(theirs.body.data).toEqual([]);
    expect((await storedRow(id)).name).toBe("Campus Moodle");
    expect(specs).toEqual([]);
  });
});

describe("connection tests", () => {
  let id: string;
  beforeAll(async () => {
    const res = await create(moodle({ code: "tested", timeoutSeconds: 5, maxRetries: 1 }));
    id = res.body.data.id;
  });

  const test = () => t.http.post(`/api/v1/lms-integrations/${id}/test-connection`, {}, admin);

  it("answers the checks of a working connection and stores it connected", async () => {
    behaviour = async () => ({
      ok: true,
      checks: [
        { step: "reach", ok: true, message: "Moodle answered at https://moodle.example.org." },
        { step: "authenticate", ok: true, message: "The token was accepted." },
      ],
      system: { name: "Campus", version: "4.3" },
      latencyMs: 42,
    });
    const res = await test();
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      ok: true,
      connectionStatus: "connected",
      message: null,
      errorKind: null,
      checks: [
        { step: "reach", ok: true, message: "Moodle answered at https://moodle.example.org." },
        { step: "authenticate", ok: true, message: "The token was accepted." },
      ],
      system: { name: "Campus", version: "4.3" },
      latencyMs: 42,
      testedAt: "2026-03-02T09:00:00.000Z",
    });
    // The connector got the decrypted credentials and the integration's settings.
    expect(specs).toEqual([
      {
        type: "moodle",
        baseUrl: "https://moodle.example.org",
        credentials: { kind: "api-token", token: TOKEN },
        timeoutMs: 5000,
        maxRetries: 1,
        options: {},
        // The test app allows private networks (its systems are fakes on loopback).
        allowPrivateNetwork: true,
      },
    ]);
    const row = await storedRow(id);
    expect(row).toMatchObject({ connection_status: "connected", error_count: 0, last_error: null });
    expect(row.last_tested_at?.toISOString()).toBe("2026-03-02T09:00:00.000Z");
    const record = (await auditsOf(id)).find((a) => a.action === "lms-integration.test-connection");
    expect(record?.after).toMatchObject({ ok: true, connectionStatus: "connected" });
    expect(JSON.stringify(record)).not.toContain(TOKEN);
  });

  it("answers refused credentials as ok false with the reason, never a server error", async () => {
    behaviour = async () => {
      throw new ConnectorError("auth", "Moodle refused the token (invalidtoken): check it.", {
        status: 200,
        remoteCode: "invalidtoken",
      });
    };
    for (const count of [1, 2]) {
      const res = await test();
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({
        ok: false,
        connectionStatus: "error",
        errorKind: "auth",
        message: "Moodle refused the token (invalidtoken): check it.",
        checks: [],
      });
      expect(await storedRow(id)).toMatchObject({
        connection_status: "error",
        error_count: count,
        last_error: "Moodle refused the token (invalidtoken): check it.",
      });
    }
    // A failed check in an answer is a failure too, with that check's words.
    behaviour = async () => ({
      ok: false,
      checks: [
        { step: "reach", ok: true, message: "Moodle answered." },
        { step: "read-enrollments", ok: false, message: "The token may not read enrolled users." },
      ],
      latencyMs: 5,
    });
    const partial = await test();
    expect(partial.body.data).toMatchObject({
      ok: false,
      connectionStatus: "error",
      message: "The token may not read enrolled users.",
      errorKind: null,
    });
    // A connector that lets the token slip into its words (a URL with the token) has it blanked.
    behaviour = async (spec) => {
      const token = spec.credentials.kind === "api-token" ? spec.credentials.token : "";
      throw new ConnectorError(
        "unreachable",
        `Could not reach https://moodle.example.org/webservice/rest/server.php?wstoken=${token}`,
      );
    };
    const leaky = await test();
    expect(leaky.body.data.message).toBe(
      "Could not reach https://moodle.example.org/webservice/rest/server.php?wstoken=[redacted]",
    );
    expect((await storedRow(id)).last_error).not.toContain(TOKEN);
    // Anything else a connector throws is still an answer.
    behaviour = async () => {
      throw new TypeError("boom");
    };
    const crashed = await test();
    expect(crashed.status).toBe(200);
    expect(crashed.body.data).toMatchObject({ ok: false, errorKind: "remote" });
    expect(crashed.body.data.message).not.toContain("boom");
  });

  it("says when a type has no connector, or the configuration is not complete", async () => {
    const file = await create({
      name: "Nightly CSV",
      code: "csv-drop",
      lmsType: "file",
      method: "sftp",
      authType: "basic",
      credentials: { username: "sftp", password: "sftp-password-1" },
      baseUrl: "https://files.example.org",
      dataFormat: "csv",
    });
    const res = await t.http.post(
      `/api/v1/lms-integrations/${file.body.data.id}/test-connection`,
      {},
      admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      ok: false,
      errorKind: "unsupported",
      connectionStatus: "disconnected",
      message: "Lyceum has no file connector to call.",
    });

    const upload = await create({
      name: "Uploads",
      code: "uploads",
      lmsType: "file",
      method: "file-upload",
    });
    const bare = await t.http.post(
      `/api/v1/lms-integrations/${upload.body.data.id}/test-connection`,
      {},
      admin,
    );
    expect(bare.body.data).toMatchObject({
      ok: false,
      errorKind: "unsupported",
      connectionStatus: "disconnected",
      message:
        "A file-upload integration receives its data: Lyceum calls nothing, so there is no connection to test.",
    });

    const unfinished = await create(moodle({ code: "no-credentials", credentials: undefined }));
    const incomplete = await t.http.post(
      `/api/v1/lms-integrations/${unfinished.body.data.id}/test-connection`,
      {},
      admin,
    );
    expect(incomplete.body.data).toMatchObject({
      ok: false,
      errorKind: "not-configured",
      connectionStatus: "disconnected",
      message: "No credentials are stored; give them before testing the connection.",
    });
    expect(specs).toEqual([expect.objectContaining({ type: "file" })]);
  });
});

describe("mapping preview", () => {
  it("maps, transforms and validates a sample record, with the problems named", async () => {
    const res = await create(
      moodle({
        code: "mapped",
        fieldMappings: [
          { source: "user.mail", target: "person.email" },
          { source: "user.name", target: "person.fullName" },
          { source: "course.id", target: "courseExternalId" },
          { source: "state", target: "status" },
          { source: "finished", target: "completedAt" },
          { source: "pct", target: "progressPercent" },
          { source: "grades.0.score", target: "score" },
        ],
        transformationRules: [
          { op: "trim", field: "person.email" },
          { op: "lowercase", field: "person.email" },
          { op: "split-name", field: "person.fullName" },
          {
            op: "map-values",
            field: "status",
            values: { Done: "completed", Busy: "in-progress" },
            otherwise: "problem",
          },
          {
            op: "date-format",
            field: "completedAt",
            format: "DD.MM.YYYY HH:mm",
            timeZone: "Europe/Berlin",
          },
          { op: "number", field: "progressPercent", decimalSeparator: "," },
          { op: "default", field: "courseExternalId", value: "unknown" },
        ],
        validationRules: [
          { rule: "required", field: "person.email" },
          { rule: "email", field: "person.email" },
          { rule: "range", field: "progressPercent", min: 0, max: 100 },
          { rule: "one-of", field: "status", values: ["completed", "in-progress"] },
          {
            rule: "pattern",
            field: "courseExternalId",
            pattern: "^C-\\d+$",
            message: "Ids look like C-123",
          },
        ],
      }),
    );
    expect(res.status).toBe(201);
    const id = res.body.data.id;
    const good = await t.http.post(
      `/api/v1/lms-integrations/${id}/mapping-preview`,
      {
        record: {
          user: { mail: "  Jane.Doe@Example.COM ", name: "Jane Q. Doe" },
          course: { id: "C-42" },
          state: "Done",
          finished: "15.03.2026 14:30",
          pct: "87,5",
          grades: [{ score: 91 }],
        },
      },
      admin,
    );
    expect(good.status).toBe(200);
    expect(good.body.data).toEqual({
      record: {
        person: { email: "jane.doe@example.com", firstName: "Jane Q.", lastName: "Doe" },
        courseExternalId: "C-42",
        status: "completed",
        // 14:30 in Berlin (winter time) is 13:30 UTC.
        completedAt: "2026-03-15T13:30:00.000Z",
        progressPercent: 87.5,
        score: 91,
      },
      problems: [],
    });

    const bad = await t.http.post(
      `/api/v1/lms-integrations/${id}/mapping-preview`,
      {
        record: {
          user: { mail: "not-an-address", name: "Doe, John" },
          state: "Paused",
          finished: "2026-03-15",
          pct: "120",
        },
      },
      admin,
    );
    expect(bad.status).toBe(200);
    expect(bad.body.data.record).toMatchObject({
      person: { email: "not-an-address", firstName: "John", lastName: "Doe" },
      courseExternalId: "unknown",
      status: "Paused",
      progressPercent: 120,
    });
    expect(bad.body.data.problems).toEqual([
      { field: "status", rule: "map-values", message: '"Paused" is not one of the mapped values' },
      {
        field: "completedAt",
        rule: "date-format",
        message: '"2026-03-15" is not a date in the form DD.MM.YYYY HH:mm',
      },
      { field: "person.email", rule: "email", message: "person.email is not an email address" },
      { field: "progressPercent", rule: "range", message: "progressPercent is above 100" },
      {
        field: "status",
        rule: "one-of",
        message: 'status is not one of "completed", "in-progress"',
      },
      { field: "courseExternalId", rule: "pattern", message: "Ids look like C-123" },
    ]);

    // Rules sent with the sample are tried instead of the stored ones; nothing is saved.
    const tried = await t.http.post(
      `/api/v1/lms-integrations/${id}/mapping-preview`,
      {
        record: { id: 7 },
        fieldMappings: [{ source: "id", target: "externalId" }],
        transformationRules: [],
        validationRules: [{ rule: "required", field: "person.email" }],
      },
      admin,
    );
    expect(tried.body.data).toEqual({
      record: { externalId: 7 },
      problems: [{ field: "person.email", rule: "required", message: "person.email is required" }],
    });
    expect((await storedRow(id)).field_mappings).toHaveLength(7);
    const wrong = await t.http.post(
      `/api/v1/lms-integrations/${id}/mapping-preview`,
      { record: {}, validationRules: [{ rule: "range", field: "nope", min: 1 }] },
      admin,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.field).toBe("validationRules.0.field");
  });
});

describe("key rotation", () => {
  it("opens credentials sealed with a previous secret and re-seals them with the current one", async () => {
    const oldSecret = "an-old-deployment-secret-of-32-characters!";
    const old = new SecretBox(oldSecret);
    const sealedBefore = await create(
      moodle({ code: "rotating", credentials: { token: "rot-token-1" } }),
    );
    const id = sealedBefore.body.data.id;
    // The row as a deployment still on the old secret would have written it.
    const legacy = old.seal(JSON.stringify({ token: "rot-token-1" }), `lms-integration:${id}`);
    await t.system.db
      .updateTable("lms_integrations")
      .set({ credentials_sealed: legacy, credentials_key_id: old.keyId })
      .where("id", "=", id)
      .execute();

    // Without the old secret the credentials cannot be opened: the test says so, no 500.
    behaviour = async () => ({ ok: true, checks: [], latencyMs: 1 });
    const unreadable = await t.http.post(
      `/api/v1/lms-integrations/${id}/test-connection`,
      {},
      admin,
    );
    expect(unreadable.status).toBe(200);
    expect(unreadable.body.data).toMatchObject({ ok: false, errorKind: "not-configured" });
    expect(unreadable.body.data.message).toMatch(/LYCEUM_SECRET_PREVIOUS/);

    // After the rotation the old secret is listed as previous: old rows open.
    const rotated = new SecretBox(t.system.config.secret, [oldSecret]);
    const services = { ...t.lyceum.services, secrets: rotated };
    const row = await storedRow(id);
    expect(rotated.needsRotation(row.credentials_sealed as string)).toBe(true);
    expect(openCredentials(services, row)).toEqual({ kind: "api-token", token: "rot-token-1" });

    const result = await reencryptCredentials(services, systemCtx(services, "test"));
    expect(result.failed).toEqual([]);
    expect(result.reencrypted).toBe(1);
    const after = await storedRow(id);
    expect(after.credentials_key_id).toBe(t.system.secrets.keyId);
    expect(after.credentials_sealed).not.toBe(legacy);
    // The current deployment opens it without the old secret now.
    expect(openCredentials(t.system, after)).toEqual({ kind: "api-token", token: "rot-token-1" });
    const record = (await auditsOf(id)).find(
      (a) => a.action === "lms-integration.credentials-reencrypt",
    );
    expect(record?.before).toEqual({ keyId: old.keyId });
    expect(record?.after).toEqual({ keyId: t.system.secrets.keyId });
    // Nothing left to do on a second run.
    expect(await reencryptCredentials(services, systemCtx(services, "test"))).toEqual({
      reencrypted: 0,
      failed: [],
    });
  });
});
