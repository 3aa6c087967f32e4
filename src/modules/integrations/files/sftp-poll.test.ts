import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser } from "../../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../../test/harness.js";
import { drainJobs } from "../../../../test/jobs.js";
import { parseCsv } from "../../../platform/csv.js";
import { addMember } from "../../organizations/service.js";
import { hostKeyFingerprint } from "../connectors/sftp.js";
import { ConnectorError } from "../connectors/types.js";
import { type SftpFake, startSftpFake } from "../fakes/sftp-fake.js";
import { queueScheduledSyncs } from "../sync/jobs.js";
import { pollSftp, SFTP_POLL_JOB } from "./sftp-poll.js";

/**
 * Files picked up from an SFTP server (the local fake, speaking SSH/SFTP on 127.0.0.1): a file
 * dropped into the import directory is imported with the saved mapping, its result written
 * back and the file moved aside; a file the mapping does not fit waits for a person.
 */
let t: TestApp;
let fake: SftpFake;
let orgId: string;
let admin: Credentials;
let ownerId: string;
let other: Credentials;
let integrationId: string;

const MAPPING = {
  email: "Email",
  courseExternalId: "Course ID",
  courseTitle: "Course Title",
  status: "Status",
  completedAt: "Completed At",
};
const HEADER = "Email,Course ID,Course Title,Status,Completed At";

function sftpOptions(overrides: Record<string, unknown> = {}) {
  return {
    host: "127.0.0.1",
    port: fake.port,
    directory: "/in",
    processedDirectory: "/processed",
    resultsDirectory: "/results",
    hostKeySha256: fake.hostKeySha256,
    ...overrides,
  };
}

async function create(body: Record<string, unknown>) {
  return t.http.post(`/api/v1/organizations/${orgId}/lms-integrations`, body, admin);
}

async function sftpIntegration(code: string, overrides: Record<string, unknown> = {}) {
  const res = await create({
    name: `HR drop ${code}`,
    code,
    lmsType: "file",
    method: "sftp",
    authType: "basic",
    credentials: { username: fake.username, password: fake.password },
    dataFormat: "csv",
    ownerIds: [ownerId],
    options: { sftp: sftpOptions(), columnMapping: MAPPING },
    ...overrides,
  });
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

/** Works the queue until the runs it started are done. */
const work = () => drainJobs(t, ["integrations.sync", SFTP_POLL_JOB], { dueOnly: true });

const imports = (id: string) =>
  t.system.db
    .selectFrom("integration_file_imports")
    .selectAll()
    .where("integration_id", "=", id)
    .orderBy("created_at")
    .orderBy("id")
    .execute();

const integrationRow = (id: string) =>
  t.system.db
    .selectFrom("lms_integrations")
    .select(["connection_status", "last_error", "error_count"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  fake = await startSftpFake();
  t = await createTestApp();
  const a = await makeOrganization(t, { name: "Drop Org" });
  orgId = a.org.id;
  admin = a.people.admin;
  ownerId = a.people.admin.user.id;
  other = (await makeOrganization(t, { name: "Other Drop Org" })).people.admin;
  for (const email of ["ann@sftp.example", "bob@sftp.example"]) {
    const user = await makeUser(t, { email });
    await addMember(t.system, orgId, {
      userId: user.id,
      roleKeys: ["learner"],
      departmentId: null,
    });
  }
  integrationId = await sftpIntegration("hr-drop");
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

describe("SFTP settings of a file integration", () => {
  it("are checked when saved: each refusal names the option", async () => {
    const missing = await create({
      name: "Bad",
      code: "bad-sftp",
      lmsType: "file",
      method: "sftp",
      authType: "basic",
      credentials: { username: "u", password: "p-secret" },
      options: { sftp: { ...sftpOptions(), host: undefined } },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe("options.sftp.host");
    const unknown = await create({
      name: "Bad",
      code: "bad-sftp",
      lmsType: "file",
      method: "sftp",
      authType: "basic",
      credentials: { username: "u", password: "p-secret" },
      options: { sftp: { ...sftpOptions(), path: "/x" } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe("options.sftp");
    const relative = await create({
      name: "Bad",
      code: "bad-sftp",
      lmsType: "file",
      method: "sftp",
      authType: "basic",
      credentials: { username: "u", password: "p-secret" },
      options: { sftp: sftpOptions({ directory: "in/../etc" }) },
    });
    expect(relative.status).toBe(400);
    expect(relative.body.error.field).toBe("options.sftp.directory");
    const noBasic = await create({
      name: "Bad",
      code: "bad-sftp",
      lmsType: "file",
      method: "sftp",
      options: { sftp: sftpOptions() },
    });
    expect(noBasic.status).toBe(400);
    expect(noBasic.body.error.field).toBe("authType");
  });

  it("test connection answers the SFTP server's steps", async () => {
    const res = await t.http.post(
      `/api/v1/lms-integrations/${integrationId}/test-connection`,
      {},
      admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ok: true, connectionStatus: "connected", message: null });
    expect(res.body.data.checks.map((c: { step: string; ok: boolean }) => [c.step, c.ok])).toEqual([
      ["reach", true],
      ["host-key", true],
      ["authenticate", true],
      ["list-directory", true],
      ["processed-directory", true],
      ["write-results", true],
    ]);
  });
});

describe("polling the SFTP server", () => {
  it("imports a dropped file, writes its result back and moves it to processed", async () => {
    fake.put(
      "/in/january.csv",
      [
        HEADER,
        "ann@sftp.example,SAFE-1,Safety basics,completed,2026-03-01",
        "stranger@elsewhere.example,SAFE-1,Safety basics,completed,2026-03-01",
      ].join("\n"),
      new Date("2026-03-01T08:00:00Z"),
    );
    const res = await t.http.post(`/api/v1/lms-integrations/${integrationId}/sftp-poll`, {}, admin);
    expect(res.status).toBe(202);
    expect(res.body.data).toEqual({ integrationId, queued: true });
    await work();

    const [file] = await imports(integrationId);
    expect(file).toMatchObject({
      origin: "sftp",
      remote_name: "january.csv",
      file_name: "january.csv",
      column_mapping: MAPPING,
      delivery_error: null,
    });
    expect(file?.delivered_at).toBeInstanceOf(Date);
    const run = await t.system.db
      .selectFrom("integration_sync_runs")
      .select(["status", "trigger", "dry_run"])
      .where("id", "=", file?.run_id as string)
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({ trigger: "sftp", dry_run: false });
    expect(["succeeded", "partial"]).toContain(run.status);

    expect(fake.list("/in")).toEqual([]);
    expect(fake.list("/processed")).toEqual(["january.csv"]);
    const rows = parseCsv(fake.get("/results/january.result.csv")?.toString("utf8") ?? "");
    expect(rows[0]).toEqual(["line", "email", "course", "external_id", "outcome", "reason"]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      ["2", "ann@sftp.example", "SAFE-1", "created"],
      ["3", "stranger@elsewhere.example", "SAFE-1", "skipped"],
    ]);
    const enrollment = await t.system.db
      .selectFrom("enrollments")
      .select("id")
      .where("integration_id", "=", integrationId)
      .execute();
    expect(enrollment).toHaveLength(1);
  });

  it("takes one file per poll, oldest first; the next one the next time", async () => {
    fake.put(
      "/in/march.csv",
      `${HEADER}\nbob@sftp.example,GDPR-2,Data protection,completed,2026-03-02\n`,
      new Date("2026-03-02T09:00:00Z"),
    );
    fake.put(
      "/in/february.csv",
      `${HEADER}\nbob@sftp.example,SAFE-1,Safety basics,in progress,\n`,
      new Date("2026-03-01T09:00:00Z"),
    );
    const first = await pollSftp(t.system, integrationId);
    expect(first).toMatchObject({
      delivered: [],
      picked: { name: "february.csv", status: "queued" },
      refused: [],
      waiting: 1,
    });
    // A run is going: the next poll takes nothing.
    const busy = await pollSftp(t.system, integrationId);
    expect(busy).toMatchObject({ delivered: [], picked: null, waiting: 1 });

    // The run ends, the poll it queues writes the result back and takes march.csv.
    await work();
    expect(fake.list("/processed")).toEqual(["february.csv", "january.csv", "march.csv"]);
    expect(fake.list("/results")).toEqual([
      "february.result.csv",
      "january.result.csv",
      "march.result.csv",
    ]);
    const march = parseCsv(fake.get("/results/march.result.csv")?.toString("utf8") ?? "");
    expect(march.slice(1).map((r) => [r[1], r[2], r[4]])).toEqual([
      ["bob@sftp.example", "GDPR-2", "created"],
    ]);
    expect((await imports(integrationId)).map((f) => f.remote_name)).toEqual([
      "january.csv",
      "february.csv",
      "march.csv",
    ]);
    expect(await integrationRow(integrationId)).toMatchObject({
      connection_status: "connected",
      last_error: null,
    });
  });

  it("a file the saved mapping does not fit waits for a person; its owners are told once", async () => {
    fake.put(
      "/in/other-system.csv",
      "Mail,Training,Title\nann@sftp.example,SAFE-1,Safety basics\n",
    );
    const first = await pollSftp(t.system, integrationId);
    expect(first.picked).toMatchObject({ name: "other-system.csv", status: "awaiting-mapping" });
    const again = await pollSftp(t.system, integrationId);
    expect(again).toMatchObject({ delivered: [], picked: null, waiting: 0 });

    const waiting = (await imports(integrationId)).filter(
      (f) => f.remote_name === "other-system.csv",
    );
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ run_id: null, delivered_at: null, column_mapping: null });
    expect(fake.list("/in")).toEqual(["other-system.csv"]);
    const told = await t.system.db
      .selectFrom("notifications")
      .select(["user_id", "action_url", "title"])
      .where("type", "=", "integration-file-waiting")
      .execute();
    expect(told).toEqual([
      {
        user_id: ownerId,
        action_url: `/integrations/file-imports/${waiting[0]?.id}`,
        title: "HR drop hr-drop: a file waits for its columns to be mapped",
      },
    ]);

    // Mapped by a person: the run ends, and the poll it queues delivers the file.
    const mapped = await t.http.put(
      `/api/v1/integration-file-imports/${waiting[0]?.id}/mapping`,
      {
        mapping: {
          email: "Mail",
          courseExternalId: "Training",
          courseTitle: "Title",
        },
      },
      admin,
    );
    expect(mapped.status).toBe(202);
    expect(mapped.body.data.sftp).toEqual({
      remoteName: "other-system.csv",
      deliveredAt: null,
      deliveryError: null,
    });
    await work();
    const shown = await t.http.get(`/api/v1/integration-file-imports/${waiting[0]?.id}`, admin);
    expect(shown.body.data).toMatchObject({
      origin: "sftp",
      sftp: { remoteName: "other-system.csv", deliveryError: null },
    });
    expect(shown.body.data.sftp.deliveredAt).toEqual(expect.any(String));
    expect(fake.list("/in")).toEqual([]);
    expect(fake.list("/processed")).toContain("other-system.csv");
    expect(fake.get("/results/other-system.result.csv")).toBeDefined();
  });

  it("a file that is not a table is refused with a result file saying why", async () => {
    fake.put("/in/broken.xlsx", "this is not a workbook");
    const outcome = await pollSftp(t.system, integrationId);
    expect(outcome).toMatchObject({ picked: null, refused: ["broken.xlsx"] });
    expect(fake.list("/processed")).toContain("broken.xlsx");
    const rows = parseCsv(fake.get("/results/broken.result.csv")?.toString("utf8") ?? "");
    expect(rows[1]?.[4]).toBe("failed");
    expect(rows[1]?.[5]).toBeTruthy();
  });

  it("a host key that is not the pinned one, or a refused password, is the integration's error", async () => {
    const pinned = await sftpIntegration("wrong-key", {
      options: {
        sftp: sftpOptions({ hostKeySha256: hostKeyFingerprint(Buffer.from("another key")) }),
      },
    });
    fake.put("/in/untouched.csv", `${HEADER}\n`);
    const error = await pollSftp(t.system, pinned).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    const row = await integrationRow(pinned);
    expect(row.connection_status).toBe("error");
    expect(row.error_count).toBe(1);
    expect(row.last_error).toMatch(/^SFTP: .*host key/i);

    const password = "wrong-password-4711";
    const refused = await sftpIntegration("wrong-password", {
      credentials: { username: fake.username, password },
    });
    const res = await t.http.post(`/api/v1/lms-integrations/${refused}/sftp-poll`, {}, admin);
    expect(res.status).toBe(202);
    await t.lyceum.worker.poll();
    while (t.lyceum.worker.activeJobs) await new Promise((r) => setTimeout(r, 10));
    const job = await t.system.db
      .selectFrom("jobs")
      .select(["status", "attempts", "last_error", "run_at"])
      .where("dedupe_key", "=", `sftp-poll:${refused}`)
      .executeTakeFirstOrThrow();
    // Tried again later with the queue's backoff.
    expect(job).toMatchObject({ status: "queued", attempts: 1 });
    expect(job.run_at.getTime()).toBeGreaterThan(t.clock.now().getTime());
    expect(job.last_error).not.toContain(password);
    const after = await integrationRow(refused);
    expect(after.connection_status).toBe("error");
    expect(after.last_error).toMatch(/^SFTP: /);
    expect(after.last_error).not.toContain(password);
    // Nothing was taken from the server.
    expect(fake.list("/in")).toEqual(["untouched.csv"]);
    await t.system.db.deleteFrom("jobs").where("dedupe_key", "=", `sftp-poll:${refused}`).execute();
    await t.system.db
      .updateTable("lms_integrations")
      .set({ is_active: false })
      .where("id", "in", [pinned, refused])
      .execute();
  });

  it("is refused for other organizations, other types, and file integrations without SFTP", async () => {
    const foreign = await t.http.post(
      `/api/v1/lms-integrations/${integrationId}/sftp-poll`,
      {},
      other,
    );
    expect(foreign.status).toBe(404);
    const upload = await create({
      name: "Uploads",
      code: "uploads-only",
      lmsType: "file",
      method: "file-upload",
    });
    const none = await t.http.post(
      `/api/v1/lms-integrations/${upload.body.data.id}/sftp-poll`,
      {},
      admin,
    );
    expect(none.status).toBe(409);
    const moodle = await create({
      name: "Moodle",
      code: "moodle-x",
      lmsType: "moodle",
      method: "api",
      authType: "api-token",
      credentials: { token: "t-123456" },
      baseUrl: "https://moodle.example.org",
    });
    const wrongType = await t.http.post(
      `/api/v1/lms-integrations/${moodle.body.data.id}/sftp-poll`,
      {},
      admin,
    );
    expect(wrongType.status).toBe(422);
  });

  it("a queued poll of an integration removed since ends without retrying", async () => {
    const gone = await sftpIntegration("gone-drop");
    const res = await t.http.post(`/api/v1/lms-integrations/${gone}/sftp-poll`, {}, admin);
    expect(res.status).toBe(202);
    expect((await t.http.delete(`/api/v1/lms-integrations/${gone}`, admin)).status).toBe(200);
    await work();
    const job = await t.system.db
      .selectFrom("jobs")
      .select(["status", "result"])
      .where("dedupe_key", "=", `sftp-poll:${gone}`)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: "completed", result: { skipped: "Integration not found" } });
  });

  it("the cron queues a poll for integrations with SFTP, and nothing for file integrations without", async () => {
    await t.system.db.deleteFrom("jobs").where("name", "=", SFTP_POLL_JOB).execute();
    const cron = await sftpIntegration("cron-drop", {
      syncFrequency: "cron",
      syncCron: "0 6 * * *",
    });
    const plain = await create({
      name: "Uploads on a cron",
      code: "uploads-cron",
      lmsType: "file",
      method: "file-upload",
      syncFrequency: "cron",
      syncCron: "0 6 * * *",
    });
    expect(plain.status).toBe(201);
    t.clock.set(new Date(t.clock.now().getTime() + 86_400_000));
    expect(await queueScheduledSyncs(t.system)).toBe(1);
    const jobs = await t.system.db
      .selectFrom("jobs")
      .select(["payload", "dedupe_key"])
      .where("name", "=", SFTP_POLL_JOB)
      .execute();
    expect(jobs).toEqual([{ payload: { integrationId: cron }, dedupe_key: `sftp-poll:${cron}` }]);
    const runs = await t.system.db
      .selectFrom("integration_sync_runs")
      .select("id")
      .where("integration_id", "in", [cron, plain.body.data.id])
      .execute();
    expect(runs).toEqual([]);
    // Not due again before the next time round.
    await t.system.db.deleteFrom("jobs").where("name", "=", SFTP_POLL_JOB).execute();
    await t.system.db
      .insertInto("jobs")
      .values({
        name: SFTP_POLL_JOB,
        payload: JSON.stringify({ integrationId: cron }),
        status: "completed",
        dedupe_key: `sftp-poll:${cron}`,
        run_at: t.clock.now(),
      })
      .execute();
    expect(await queueScheduledSyncs(t.system)).toBe(0);
  });
});
