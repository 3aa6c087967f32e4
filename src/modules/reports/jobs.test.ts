import { spawn } from "node:child_process";
import { existsSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE } from "../../../test/database.js";
import { makeUser, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { reportWorld } from "../../../test/report-data.js";
import { ORGANIZATION_ROLES } from "../access/catalog.js";
import { addMember } from "../organizations/service.js";
import {
  claimReportJob,
  mayPassAgain,
  processNextReportJob,
  removeStaleTempFiles,
} from "./runner.js";

let t: TestApp;
let world: Awaited<ReturnType<typeof reportWorld>>;

beforeAll(async () => {
  t = await createTestApp({ env: { REPORT_JOBS_PER_HOUR: "40" } });
  world = await reportWorld(t);
});
afterAll(() => t.close());

const byCourse = {
  dimensions: [{ entity: "course", fields: ["title"] }],
  measures: [
    { id: "enrollments", type: "count" },
    { id: "completion", type: "completion-rate" },
  ],
  display: { sortBy: "course.title", showTotals: true },
};

async function queue(body: Record<string, unknown>, as = world.who.viewer) {
  const res = await t.http.post(
    `/api/v1/organizations/${world.orgId}/report-jobs`,
    { name: "By course", definition: byCourse, outputFormat: "csv", ...body },
    as,
  );
  if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: string; status: string };
}

/** Runs queued jobs until none is left (as the runner loop would). */
async function drain() {
  const done = [];
  for (;;) {
    const job = await processNextReportJob(t.lyceum.services, "test-worker");
    if (!job) return done;
    done.push(job);
  }
}

const services = () => t.lyceum.services;

describe("report jobs", () => {
  it("run a queued report into a CSV file, downloaded through an expiring signed link", async () => {
    const job = await queue({ name: "Completion by course" });
    expect(job).toMatchObject({ status: "queued", progress: 0, priority: "normal", file: null });
    const [finished] = await drain();
    expect(finished).toMatchObject({ id: job.id, status: "ready", progress: 100, row_count: 3 });
    let res = await t.http.get(`/api/v1/report-jobs/${job.id}`, world.who.viewer);
    expect(res.body.data.file).toMatchObject({
      name: "Completion-by-course.csv",
      contentType: "text/csv; charset=utf-8",
      rows: 3,
      downloads: 0,
    });
    expect(res.body.data.metrics.rows).toBe(3);
    expect(res.body.data.file.checksum).toMatch(/^[0-9a-f]{64}$/);
    const note = await t.system.db
      .selectFrom("notifications")
      .select("title")
      .where("user_id", "=", world.ids.viewer as string)
      .where("type", "=", "report-ready")
      .execute();
    expect(note).toEqual([{ title: 'Your report "Completion by course" is ready' }]);

    res = await t.http.post(`/api/v1/report-jobs/${job.id}/download-url`, {}, world.who.viewer);
    const link = new URL(res.body.data.url);
    const file = await t.http.get(link.pathname, {});
    expect(file.status).toBe(200);
    expect(file.headers["content-disposition"]).toContain("Completion-by-course.csv");
    expect(String(file.body).split("\r\n")).toEqual([
      ",Title,Count,Completion rate",
      ",Safety basics,4,50",
      ",Sales craft,3,33.33",
      "Total,,7,42.86",
      "",
    ]);
    const row = await t.system.db
      .selectFrom("report_jobs")
      .select(["download_count", "file_size"])
      .where("id", "=", job.id)
      .executeTakeFirstOrThrow();
    expect(row.download_count).toBe(1);
    expect(Number(row.file_size)).toBe(Buffer.byteLength(String(file.body)));
    // Tampered or expired links are refused; others cannot ask for a link.
    expect((await t.http.get(`${link.pathname.slice(0, -3)}abc`, {})).status).toBe(404);
    t.clock.advance(16 * 60_000);
    expect((await t.http.get(link.pathname, {})).body.error.code).toBe("TOKEN_EXPIRED");
    t.clock.advance(-16 * 60_000);
    res = await t.http.post(`/api/v1/report-jobs/${job.id}/download-url`, {}, world.who.head);
    expect(res.status).toBe(404);
  });

  it("write JSON, and take the most urgent job first, oldest first within a priority", async () => {
    const low = await queue({ priority: "low", outputFormat: "json" });
    const scheduled = await queue({ priority: "scheduled" });
    const normal = await queue({ priority: "normal" });
    const high = await queue({ priority: "high" });
    const critical = await queue({ priority: "critical" }, world.who.admin);
    const high2 = await queue({ priority: "high" });
    let res = await t.http.post(
      `/api/v1/organizations/${world.orgId}/report-jobs`,
      { name: "x", definition: byCourse, outputFormat: "csv", priority: "critical" },
      world.who.viewer,
    );
    expect(res.status).toBe(403);
    const order = (await drain()).map((j) => j.id);
    expect(order).toEqual([critical.id, high.id, high2.id, normal.id, low.id, scheduled.id]);
    res = await t.http.post(`/api/v1/report-jobs/${low.id}/download-url`, {}, world.who.viewer);
    const file = await t.http.get(new URL(res.body.data.url).pathname, {});
    const json = typeof file.body === "string" ? JSON.parse(file.body) : file.body;
    expect(json.rows.map((r: { values: Record<string, unknown> }) => r.values)).toEqual([
      { "course.title": "Safety basics", enrollments: 4, completion: 50 },
      { "course.title": "Sales craft", enrollments: 3, completion: 33.33 },
      { "course.title": null, enrollments: 7, completion: 42.86 },
    ]);
  });

  it("cancel at once while waiting, at the next step while running, never once finished", async () => {
    const waiting = await queue({});
    let res = await t.http.post(`/api/v1/report-jobs/${waiting.id}/cancel`, {}, world.who.viewer);
    expect(res.body.data.status).toBe("cancelled");
    const running = await queue({});
    const claimed = await claimReportJob(t.system.db, "w-cancel", t.clock.now());
    expect(claimed?.id).toBe(running.id);
    res = await t.http.post(`/api/v1/report-jobs/${running.id}/cancel`, {}, world.who.viewer);
    expect(res.body.data).toMatchObject({ status: "processing", cancelRequested: true });
    const { runReportJob } = await import("./runner.js");
    const after = await runReportJob(services(), claimed as never, "w-cancel");
    expect(after.status).toBe("cancelled");
    res = await t.http.post(`/api/v1/report-jobs/${running.id}/cancel`, {}, world.who.viewer);
    expect(res.status).toBe(409);
    // Retry and duplicate.
    res = await t.http.post(`/api/v1/report-jobs/${running.id}/retry`, {}, world.who.viewer);
    expect(res.body.data).toMatchObject({ status: "queued", attempts: 0, cancelRequested: false });
    res = await t.http.post(`/api/v1/report-jobs/${running.id}/duplicate`, {}, world.who.viewer);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: "By course (copy)", duplicatedFrom: running.id });
    await drain();
  });

  it("retry failures that may pass with backoff, up to the job's retries, then fail and tell", async () => {
    const job = await queue({ maxRetries: 1 });
    const boom = {
      afterProgress: async (p: number) => {
        if (p === 60) throw new Error("disk full");
      },
    };
    let run = await processNextReportJob(services(), "w-fail", boom);
    expect(run).toMatchObject({
      status: "queued",
      attempts: 1,
      retryable: true,
      error_message: "disk full",
    });
    // Backed off: not claimable until 30 s later.
    expect(await processNextReportJob(services(), "w-fail", boom)).toBeNull();
    t.clock.advance(31_000);
    run = await processNextReportJob(services(), "w-fail", boom);
    expect(run).toMatchObject({ id: job.id, status: "failed", attempts: 2, retryable: true });
    const note = await t.system.db
      .selectFrom("notifications")
      .select("title")
      .where("type", "=", "report-ready")
      .where("title", "like", "%failed%")
      .execute();
    expect(note.length).toBeGreaterThan(0);
    t.clock.advance(-31_000);
  });

  it("fail a job for good when its definition is refused, by the checks or the database", async () => {
    const now = t.clock.now();
    const stored = (name: string, customFilters: unknown[]) =>
      t.system.db
        .insertInto("report_jobs")
        .values({
          organization_id: world.orgId,
          created_by: world.ids.viewer as string,
          name,
          // Stored as it was accepted before the checks it now fails.
          definition: JSON.stringify({ ...byCourse, filters: { customFilters } }),
          output_format: "csv",
          priority_rank: 3,
          max_retries: 3,
          queued_at: now,
          created_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
    const pattern = await stored("Bad pattern", [
      { field: "course.title", operator: "regex", value: "(safe" },
    ]);
    const empty = await stored("Empty list", [
      { field: "enrollment.status", operator: "in", value: [] },
    ]);
    // A value the checks take and PostgreSQL refuses (a fraction for a whole-number column):
    // only running the query finds it.
    const date = await stored("Fraction of a second", [
      { field: "enrollment.timeSpentSeconds", operator: "eq", value: 1.5 },
    ]);
    const ran = await drain();
    const failed = await t.system.db
      .selectFrom("report_jobs")
      .select(["id", "status", "attempts", "retryable", "error_code", "error_message"])
      .where("id", "in", [pattern.id, empty.id, date.id])
      .execute();
    expect(ran.map((j) => j.id).sort()).toEqual([pattern.id, empty.id, date.id].sort());
    const byId = (id: string) => failed.find((j) => j.id === id);
    expect(byId(pattern.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      retryable: false,
      error_code: "VALIDATION_ERROR",
      error_message: expect.stringMatching(/^Not a regular expression PostgreSQL accepts/),
    });
    expect(byId(empty.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      retryable: false,
      error_code: "VALIDATION_ERROR",
      error_message: "Give at least one value",
    });
    expect(byId(date.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      retryable: false,
      error_code: "VALIDATION_ERROR",
      error_message: "A value is out of range or malformed",
    });
    // Nothing is left to claim later: none of them went back to the queue.
    t.clock.advance(3_600_000);
    expect(await drain()).toEqual([]);
    t.clock.advance(-3_600_000);
    // Only failures that may pass are retried.
    const database = (code: string) =>
      Object.assign(new Error("database"), { code, severity: "ERROR" });
    expect(mayPassAgain(new Error("disk full"))).toBe(true);
    expect(mayPassAgain(Object.assign(new Error("socket"), { code: "EPIPE" }))).toBe(true);
    for (const code of ["08006", "40001", "40P01", "53100", "55P03", "57014", "57P01", "58030"])
      expect(mayPassAgain(database(code)), code).toBe(true);
    for (const code of ["2201B", "22008", "22P02", "42601", "42883", "XX000"])
      expect(mayPassAgain(database(code)), code).toBe(false);
  });

  it("return a job to the queue when its worker's lease runs out; the lost worker cannot finish it", async () => {
    const job = await queue({});
    const first = await claimReportJob(t.system.db, "w-lost", t.clock.now(), 5_000);
    expect(first?.id).toBe(job.id);
    expect(await claimReportJob(t.system.db, "w-next", t.clock.now())).toBeUndefined();
    t.clock.advance(6_000);
    const { runReportJob } = await import("./runner.js");
    const taken = await processNextReportJob(services(), "w-next");
    expect(taken).toMatchObject({ id: job.id, status: "ready", attempts: 2 });
    // The first worker wakes up and tries to go on: it no longer holds the job.
    const late = await runReportJob(services(), first as never, "w-lost");
    expect(late).toMatchObject({ status: "ready", locked_by: null });
    t.clock.advance(-6_000);
  });

  it.skipIf(ENGINE === "pglite")(
    "survive a worker process killed mid-job (PostgreSQL: PGlite lives inside one process)",
    async () => {
      const job = await queue({ name: "Survivor" });
      const now = t.clock.now();
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "test/report-worker-child.ts",
          t.databaseUrl as string,
          now.toISOString(),
          "10000",
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      let output = "";
      child.stdout.on("data", (c) => {
        output += c;
      });
      const started = Date.now();
      while (!output.includes(`claimed ${job.id}`)) {
        if (Date.now() - started > 30_000) throw new Error(`child did not claim: ${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const exited = new Promise((resolve) => child.on("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      const orphan = await t.system.db
        .selectFrom("report_jobs")
        .selectAll()
        .where("id", "=", job.id)
        .executeTakeFirstOrThrow();
      expect(orphan).toMatchObject({
        status: "processing",
        locked_by: "doomed-worker",
        progress: 30,
      });
      expect(await processNextReportJob(services(), "w-survivor")).toBeNull();
      t.clock.advance(11_000);
      const rescued = await processNextReportJob(services(), "w-survivor");
      expect(rescued).toMatchObject({ id: job.id, status: "ready", attempts: 2, progress: 100 });
      t.clock.advance(-11_000);
    },
  );

  it("limit each person's jobs per hour, and expire files after the retention", async () => {
    const jobs = await t.system.db
      .selectFrom("report_jobs")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("created_by", "=", world.ids.viewer as string)
      .executeTakeFirstOrThrow();
    for (let i = Number(jobs.n); i < 40; i++) await queue({});
    const res = await t.http.post(
      `/api/v1/organizations/${world.orgId}/report-jobs`,
      { name: "one too many", definition: byCourse, outputFormat: "csv" },
      world.who.viewer,
    );
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe("RATE_LIMITED");
    await drain();
    const ready = await t.system.db
      .selectFrom("report_jobs")
      .select(["id", "file_key"])
      .where("status", "=", "ready")
      .execute();
    expect(await t.storage.get(ready[0]?.file_key as string)).not.toBeNull();
    const { expireReportFiles } = await import("./jobs.js");
    t.clock.advance(8 * 86_400_000);
    expect(await expireReportFiles(t.system)).toBe(ready.length);
    t.clock.advance(-8 * 86_400_000);
    expect(await t.storage.get(ready[0]?.file_key as string)).toBeNull();
    const statuses = await t.system.db
      .selectFrom("report_jobs")
      .select("status")
      .where("id", "=", ready[0]?.id as string)
      .executeTakeFirstOrThrow();
    expect(statuses.status).toBe("expired");
  });

  it("make and hand out files only with reports:export; reports:read still previews", async () => {
    // The built-in roles that export report files.
    expect(
      ORGANIZATION_ROLES.filter((r) => r.permissions.some((p) => p.startsWith("reports:export:")))
        .map((r) => r.key)
        .sort(),
    ).toEqual([
      "compliance-officer",
      "department-admin",
      "hr-admin",
      "org-admin",
      "report-viewer",
      "training-coordinator",
    ]);
    // A team manager reads reports (reports:read:team) but does not export them.
    const mona = await makeUser(t, { firstName: "Mona", lastName: "Manager" });
    await addMember(t.system, world.orgId, { userId: mona.id, roleKeys: ["manager"] });
    const manager = await signIn(t, mona.email);
    const refused = (res: { status: number; body: { error?: unknown } }) => {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({
        code: "FORBIDDEN",
        details: { required: "reports:export" },
      });
    };
    for (const outputFormat of ["csv", "json", "excel", "pdf"])
      refused(
        await t.http.post(
          `/api/v1/organizations/${world.orgId}/report-jobs`,
          { name: "Mine", definition: byCourse, outputFormat },
          manager,
        ),
      );
    const template = await t.system.db
      .selectFrom("report_templates")
      .select("id")
      .where("slug", "=", "enrollment-summary")
      .where("is_system", "=", true)
      .executeTakeFirstOrThrow();
    refused(
      await t.http.post(
        `/api/v1/report-templates/${template.id}/generate`,
        { organizationId: world.orgId, outputFormat: "csv" },
        manager,
      ),
    );
    refused(
      await t.http.post(
        `/api/v1/organizations/${world.orgId}/report-schedules`,
        { name: "Daily", templateId: template.id, frequency: "daily", timezone: "UTC" },
        manager,
      ),
    );
    const mine = () =>
      t.system.db
        .selectFrom("report_jobs")
        .select(["id", "status", "error_code", "retryable", "attempts"])
        .where("created_by", "=", mona.id)
        .execute();
    expect(await mine()).toEqual([]);
    expect(
      await t.system.db
        .selectFrom("report_schedules")
        .select("id")
        .where("created_by", "=", mona.id)
        .execute(),
    ).toEqual([]);
    // Running the report in the browser stays open to reports:read.
    const preview = await t.http.post(
      `/api/v1/organizations/${world.orgId}/report-metadata/preview`,
      byCourse,
      manager,
    );
    expect(preview.status).toBe(200);

    // Jobs of theirs stored earlier: a queued one fails for good when it runs, and no link is
    // handed out to a ready one's file.
    const now = t.clock.now();
    const stored = (values: Record<string, unknown>) =>
      t.system.db
        .insertInto("report_jobs")
        .values({
          organization_id: world.orgId,
          created_by: mona.id,
          name: "Stored earlier",
          definition: JSON.stringify(byCourse),
          output_format: "csv",
          priority_rank: 3,
          queued_at: now,
          created_at: now,
          ...values,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
    const queued = await stored({});
    const [ran] = await drain();
    expect(ran).toMatchObject({
      id: queued.id,
      status: "failed",
      error_code: "FORBIDDEN",
      retryable: false,
      attempts: 1,
    });
    refused(await t.http.post(`/api/v1/report-jobs/${queued.id}/retry`, {}, manager));
    const ready = await stored({
      status: "ready",
      file_key: "reports/stored-earlier.csv",
      file_name: "Stored-earlier.csv",
      content_type: "text/csv; charset=utf-8",
      file_size: 3,
    });
    await t.storage.put("reports/stored-earlier.csv", Buffer.from("a,b"), "text/csv");
    refused(await t.http.post(`/api/v1/report-jobs/${ready.id}/download-url`, {}, manager));
    // The same file, for someone who may export it (a report manager).
    const link = await t.http.post(
      `/api/v1/report-jobs/${ready.id}/download-url`,
      {},
      world.who.admin,
    );
    expect(link.status).toBe(200);
  });

  it("write PDF files too", async () => {
    const job = await queue({ name: "Printable", outputFormat: "pdf" }, world.who.head);
    const [done] = await drain();
    expect(done).toMatchObject({ id: job.id, status: "ready", content_type: "application/pdf" });
    const body = await t.storage.get(done?.file_key as string);
    expect(body?.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("start CSV files with a byte-order mark when the definition asks", async () => {
    const job = await queue(
      { name: "Excel friendly", definition: { ...byCourse, output: { csvBom: true } } },
      world.who.head,
    );
    const [done] = await drain();
    expect(done?.id).toBe(job.id);
    const body = (await t.storage.get(done?.file_key as string)) as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.subarray(3).toString("utf8").split("\r\n")[0]).toBe(",Title,Count,Completion rate");
  });

  it("stream rows from the database in batches: the file is the same whatever the batch size", async () => {
    const perLearner = {
      dimensions: [{ entity: "learner", fields: ["email"] }],
      measures: [
        { id: "enrollments", type: "count" },
        { id: "study", type: "sum", field: "enrollment.timeSpentSeconds" },
      ],
      display: { sortBy: "learner.email", showTotals: true, showPercentages: true },
    };
    const files: string[] = [];
    const progress: number[][] = [];
    for (const batchRows of [1, 2, 1_000]) {
      await queue({ name: "Per learner", definition: perLearner }, world.who.head);
      const seen: number[] = [];
      const job = await processNextReportJob(services(), `batch-${batchRows}`, {
        batchRows,
        afterProgress: async (p) => {
          seen.push(p);
        },
      });
      expect(job?.status).toBe("ready");
      files.push(String(await t.storage.get(job?.file_key as string)));
      progress.push(seen);
    }
    expect(files[1]).toBe(files[0]);
    expect(files[2]).toBe(files[0]);
    const lines = (files[0] as string).split("\r\n");
    expect(lines[0]).toBe(",Email,Count,Sum,Count (% of total),Sum (% of total)");
    // A share column per additive measure, computed over every row; the total is 100 %.
    const total = lines.at(-2)?.split(",");
    expect(total?.[0]).toBe("Total");
    expect(total?.slice(-2)).toEqual(["100", "100"]);
    const preview = await t.http.post(
      `/api/v1/organizations/${world.orgId}/report-metadata/preview?limit=100`,
      perLearner,
      world.who.head,
    );
    expect(preview.body).toMatchObject({ success: true });
    expect(lines.length - 2).toBe(preview.body.data.rows.length);
    expect(preview.body.data.rows.length).toBeGreaterThan(2);
    for (const seen of progress) expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it("hand a running job back to the queue when the worker stops, without counting the attempt", async () => {
    const job = await queue({ name: "Interrupted" }, world.who.head);
    let stopping = false;
    const back = await processNextReportJob(services(), "stopping-worker", {
      afterProgress: async (p) => {
        if (p >= 10) stopping = true;
      },
      shouldStop: () => stopping,
    });
    expect(back).toMatchObject({ id: job.id, status: "queued", attempts: 0, locked_by: null });
    expect(back?.file_key).toBeNull();
    const [done] = await drain();
    expect(done).toMatchObject({ id: job.id, status: "ready", attempts: 1 });
  });

  it("clear report temp files a day old, and only those", async () => {
    const old = path.join(os.tmpdir(), `lyceum-report-test-${Date.now()}-old`);
    const fresh = path.join(os.tmpdir(), `lyceum-report-test-${Date.now()}-fresh`);
    writeFileSync(old, "x");
    writeFileSync(fresh, "y");
    const dayAgo = new Date(Date.now() - 25 * 60 * 60_000);
    utimesSync(old, dayAgo, dayAgo);
    expect(await removeStaleTempFiles()).toBeGreaterThanOrEqual(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    rmSync(fresh);
  });
});
