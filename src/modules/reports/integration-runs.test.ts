import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { expectBaseRefused } from "../../../test/report-bases.js";
import { processNextReportJob } from "./runner.js";

/**
 * The integration-run base: sync runs inserted with known counts and times, and the figures
 * the report engine gives for them, worked out by hand below.
 */

let t: TestApp;
let orgId: string;
let url: string;
let who: Record<string, Parameters<TestApp["http"]["get"]>[1]>;
const ids: Record<string, string> = {};

const HOUR = 3_600_000;
const now = Date.now();
const at = (hoursAgo: number, plusSeconds = 0) =>
  new Date(now - hoursAgo * HOUR + plusSeconds * 1000);

async function integration(
  organizationId: string,
  name: string,
  code: string,
  lmsType: string,
  slaHours: number | null,
) {
  const row = await t.system.db
    .insertInto("lms_integrations")
    .values({
      organization_id: organizationId,
      name,
      code,
      lms_type: lmsType,
      method: "api",
      sla_hours: slaHours,
    } as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id as string;
}

interface RunSpec {
  status: string;
  started?: number;
  seconds?: number;
  counts?: [number, number, number, number, number];
  calls?: number;
  ms?: number;
  dryRun?: boolean;
  error?: string;
  organizationId?: string;
}

async function run(integrationId: string, spec: RunSpec) {
  const [created, updated, unchanged, skipped, failed] = spec.counts ?? [0, 0, 0, 0, 0];
  const started = spec.started === undefined ? null : at(spec.started);
  const row = await t.system.db
    .insertInto("integration_sync_runs")
    .values({
      organization_id: spec.organizationId ?? orgId,
      integration_id: integrationId,
      trigger: "schedule",
      status: spec.status,
      dry_run: spec.dryRun ?? false,
      created_count: created,
      updated_count: updated,
      unchanged_count: unchanged,
      skipped_count: skipped,
      failed_count: failed,
      remote_calls: spec.calls ?? 0,
      remote_ms: spec.ms ?? 0,
      error: spec.error ?? null,
      started_at: started,
      finished_at:
        spec.started === undefined || spec.seconds === undefined
          ? null
          : at(spec.started, spec.seconds),
      created_at: started ?? new Date(now),
    } as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id as string;
}

beforeAll(async () => {
  t = await createTestApp({ env: { REPORT_JOBS_PER_HOUR: "100" } });
  const { org, people } = await makeOrganization(t, {
    name: "Runs Org",
    people: [
      { key: "viewer", roles: ["report-viewer"] },
      { key: "learner", roles: ["learner"] },
    ],
  });
  orgId = org.id;
  url = `/api/v1/organizations/${orgId}/report-metadata`;
  who = { admin: people.admin, viewer: people.viewer, learner: people.learner };
  const other = await makeOrganization(t, { name: "Other Runs Org" });
  ids.other = other.org.id;
  ids.otherAdmin = other.people.admin.user.id;
  who.otherAdmin = other.people.admin;

  ids.moodle = await integration(orgId, "Moodle campus", "moodle", "moodle", 24);
  ids.canvas = await integration(orgId, "Canvas school", "canvas", "canvas", null);
  ids.foreign = await integration(ids.other, "Foreign Moodle", "foreign", "moodle", 12);

  // Moodle: SLA 24 h. m2 finishes 20 h after m1 (within), m4 28 h after m2 (not).
  ids.m1 = await run(ids.moodle, {
    status: "succeeded",
    started: 50,
    seconds: 60,
    counts: [10, 5, 5, 0, 0],
    calls: 4,
    ms: 400,
  });
  ids.m2 = await run(ids.moodle, {
    status: "partial",
    started: 30,
    seconds: 120,
    counts: [0, 2, 15, 1, 2],
    calls: 6,
    ms: 1200,
  });
  ids.m3 = await run(ids.moodle, {
    status: "failed",
    started: 20,
    seconds: 30,
    calls: 2,
    ms: 6000,
    error: "The Moodle server did not answer in time",
  });
  ids.m4 = await run(ids.moodle, {
    status: "succeeded",
    started: 2,
    seconds: 90,
    counts: [1, 0, 19, 0, 0],
    calls: 4,
    ms: 800,
  });
  // A dry run changes nothing and is not counted; a queued run has not started.
  await run(ids.moodle, {
    status: "succeeded",
    started: 1,
    seconds: 5,
    counts: [99, 0, 0, 0, 0],
    calls: 50,
    ms: 50,
    dryRun: true,
  });
  ids.m6 = await run(ids.moodle, { status: "queued" });
  // Canvas: no SLA, no external calls counted; one run 40 days ago.
  ids.c1 = await run(ids.canvas, {
    status: "succeeded",
    started: 10,
    seconds: 10,
    counts: [3, 0, 0, 0, 0],
  });
  ids.c2 = await run(ids.canvas, { status: "cancelled", started: 5, seconds: 5 });
  ids.cOld = await run(ids.canvas, {
    status: "succeeded",
    started: 40 * 24,
    seconds: 20,
    counts: [0, 0, 7, 0, 0],
  });
  // The other organization's runs.
  await run(ids.foreign, {
    status: "failed",
    started: 3,
    seconds: 1,
    calls: 1,
    ms: 99_999,
    organizationId: ids.other,
  });
});
afterAll(() => t.close());

type Row = { values: Record<string, unknown>; total: boolean; kind: string };

async function preview(definition: unknown, as = who.admin, org = orgId) {
  const res = await t.http.post(
    `/api/v1/organizations/${org}/report-metadata/preview?limit=100`,
    definition,
    as,
  );
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { base: string; rows: Row[]; columns: Array<{ key: string }> };
}

const health = {
  dimensions: [{ entity: "integration", fields: ["name"] }],
  measures: [
    { id: "runs", type: "run-count" },
    { id: "successRate", type: "success-rate" },
    { id: "errorRate", type: "error-rate" },
    { id: "latencyMs", type: "avg-call-latency" },
    { id: "recordsPerRun", type: "records-per-run" },
    { id: "failedRecords", type: "failed-records" },
    { id: "slaMet", type: "sla-met-rate" },
    { id: "duration", type: "average", field: "sync-run.durationSeconds" },
    { id: "medianDuration", type: "median", field: "sync-run.durationSeconds" },
  ],
  display: { sortBy: "integration.name", showTotals: true },
};

describe("the integration-run report base", () => {
  it("counts the organization's real runs per integration, with rates, latency and SLA", async () => {
    const report = await preview(health);
    expect(report.base).toBe("integration-run");
    expect(report.rows.map((r) => [r.kind, r.values])).toEqual([
      [
        "detail",
        {
          "integration.name": "Canvas school",
          runs: 3,
          successRate: 100,
          errorRate: 0,
          latencyMs: null,
          recordsPerRun: 5,
          failedRecords: 0,
          slaMet: null,
          duration: 11.6667,
          medianDuration: 10,
        },
      ],
      [
        "detail",
        {
          "integration.name": "Moodle campus",
          runs: 5,
          successRate: 75,
          errorRate: 25,
          latencyMs: 525,
          recordsPerRun: 15,
          failedRecords: 2,
          slaMet: 50,
          duration: 75,
          medianDuration: 75,
        },
      ],
      [
        "total",
        {
          "integration.name": null,
          runs: 8,
          successRate: 83.33,
          errorRate: 16.67,
          latencyMs: 525,
          recordsPerRun: 11.67,
          failedRecords: 2,
          slaMet: 50,
          duration: 47.8571,
          medianDuration: 30,
        },
      ],
    ]);
  });

  it("shows each run's fields, and keeps to the last days asked for", async () => {
    const report = await preview({
      dimensions: [
        { entity: "integration", fields: ["code", "type", "slaHours", "active"] },
        {
          entity: "sync-run",
          fields: ["id", "status", "trigger", "direction", "durationSeconds", "recordsRead"],
        },
        {
          entity: "sync-run",
          fields: ["failed", "remoteCalls", "averageLatencyMs", "withinSla", "error"],
        },
      ],
      measures: [{ id: "runs", type: "run-count" }],
      filters: {
        customFilters: [{ field: "integration.code", operator: "eq", value: "moodle" }],
      },
      display: { sortBy: "sync-run.durationSeconds" },
    });
    expect(report.rows.map((r) => r.values)).toEqual([
      {
        "integration.code": "moodle",
        "integration.type": "moodle",
        "integration.slaHours": 24,
        "integration.active": true,
        "sync-run.id": ids.m3,
        "sync-run.status": "failed",
        "sync-run.trigger": "schedule",
        "sync-run.direction": "import",
        "sync-run.durationSeconds": 30,
        "sync-run.recordsRead": 0,
        "sync-run.failed": 0,
        "sync-run.remoteCalls": 2,
        "sync-run.averageLatencyMs": 3000,
        "sync-run.withinSla": null,
        "sync-run.error": "The Moodle server did not answer in time",
        runs: 1,
      },
      expect.objectContaining({ "sync-run.id": ids.m1, "sync-run.withinSla": null }),
      expect.objectContaining({
        "sync-run.id": ids.m4,
        "sync-run.withinSla": false,
        "sync-run.averageLatencyMs": 200,
      }),
      expect.objectContaining({
        "sync-run.id": ids.m2,
        "sync-run.withinSla": true,
        "sync-run.recordsRead": 20,
        "sync-run.failed": 2,
      }),
      expect.objectContaining({ "sync-run.id": ids.m6, "sync-run.durationSeconds": null }),
    ]);
    const recent = await preview({
      dimensions: [{ entity: "integration", fields: ["name"] }],
      measures: [
        { id: "runs", type: "run-count" },
        { id: "recordsPerRun", type: "records-per-run" },
      ],
      filters: { lastDays: 30 },
      display: { sortBy: "integration.name" },
    });
    expect(recent.rows.map((r) => r.values)).toEqual([
      { "integration.name": "Canvas school", runs: 2, recordsPerRun: 3 },
      { "integration.name": "Moodle campus", runs: 5, recordsPerRun: 15 },
    ]);
    // By month of the run's start, in the organization's time zone: every run has a date.
    const byMonth = await preview({
      measures: [{ id: "runs", type: "run-count" }],
      groups: [{ field: "time.year" }],
    });
    expect(byMonth.base).toBe("integration-run");
    expect(
      byMonth.rows.reduce((sum, r) => sum + (r.kind === "detail" ? Number(r.values.runs) : 0), 0),
    ).toBe(8);
  });

  it("never shows another organization's runs or integrations", async () => {
    const mine = await preview({
      dimensions: [{ entity: "integration", fields: ["id", "name"] }],
      measures: [{ id: "runs", type: "run-count" }],
    });
    expect(mine.rows.map((r) => r.values["integration.id"]).sort()).toEqual(
      [ids.canvas, ids.moodle].sort(),
    );
    const theirs = await preview(
      {
        dimensions: [{ entity: "integration", fields: ["name"] }],
        measures: [{ id: "runs", type: "run-count" }],
      },
      who.otherAdmin,
      ids.other,
    );
    expect(theirs.rows.map((r) => r.values)).toEqual([
      { "integration.name": "Foreign Moodle", runs: 1 },
    ]);
    // A run of this organization that names another organization's integration (a bug)
    // shows no name of theirs.
    const stray = await run(ids.foreign as string, { status: "succeeded", started: 4, seconds: 1 });
    try {
      const report = await preview({
        dimensions: [{ entity: "integration", fields: ["name", "code"] }],
        measures: [{ id: "runs", type: "run-count" }],
        filters: { customFilters: [{ field: "sync-run.id", operator: "eq", value: stray }] },
      });
      expect(report.rows.map((r) => r.values)).toEqual([
        { "integration.name": null, "integration.code": null, runs: 1 },
      ]);
    } finally {
      await t.system.db.deleteFrom("integration_sync_runs").where("id", "=", stray).execute();
    }
  });

  it("is refused to those without integrations:manage, and not offered to them", async () => {
    await expectBaseRefused(t, {
      orgId,
      base: "integration-run",
      label: "integration sync runs",
      template: "integration-health",
      definitions: [
        health,
        // Run measures alone reveal the base as much as its fields do.
        { measures: [{ id: "runs", type: "run-count" }], groups: [{ field: "time.month" }] },
      ],
      admin: who.admin,
      viewer: who.viewer,
    });
    const catalog = (await t.http.get(`${url}/dimensions`, who.viewer)).body.data;
    expect(
      catalog.dimensions
        .filter((d: { entity: string }) => ["integration", "sync-run"].includes(d.entity))
        .map((d: { allowed: boolean }) => d.allowed),
    ).toEqual([false, false]);
    // A learner reads reports of their own learning only.
    const learner = await t.http.post(`${url}/preview`, health, who.learner);
    expect(learner.status).toBe(400);
    expect(learner.body.error.details.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: "measures", forbidden: true })]),
    );
  });

  it("refuses learning filters the runs have no column for, and learning entities", async () => {
    const res = await t.http.post(
      `${url}/validate`,
      {
        measures: [{ id: "runs", type: "run-count" }],
        filters: {
          courseIds: [ids.moodle],
          enrollmentStatus: ["active"],
          dateRange: {
            field: "enrolledAt",
            start: "2026-01-01T00:00:00Z",
            end: "2027-01-01T00:00:00Z",
          },
        },
      },
      who.admin,
    );
    expect(
      res.body.data.errors.map((p: { field: string }) => p.field).sort(),
      JSON.stringify(res.body.data),
    ).toEqual(["filters.courseIds", "filters.dateRange.field", "filters.enrollmentStatus"]);
    const mixed = await t.http.post(
      `${url}/validate`,
      {
        dimensions: [{ entity: "course", fields: ["title"] }],
        measures: [{ id: "runs", type: "run-count" }],
      },
      who.admin,
    );
    expect(mixed.body.data.errors).toEqual([
      expect.objectContaining({
        field: "measures",
        message: expect.stringMatching(/share a base/),
      }),
    ]);
  });

  it("exports the base as CSV, XLSX and PDF through report jobs", async () => {
    const files: Record<string, string> = {};
    for (const outputFormat of ["csv", "excel", "pdf"]) {
      const res = await t.http.post(
        `/api/v1/organizations/${orgId}/report-jobs`,
        { name: "Integration health", definition: health, outputFormat },
        who.admin,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      files[outputFormat] = res.body.data.id;
    }
    const done = [];
    for (;;) {
      const job = await processNextReportJob(t.lyceum.services, "runs-worker");
      if (!job) break;
      done.push(job);
    }
    expect(done.map((j) => [j.output_format, j.status, j.row_count]).sort()).toEqual([
      ["csv", "ready", 3],
      ["excel", "ready", 3],
      ["pdf", "ready", 3],
    ]);
    const csv = done.find((j) => j.output_format === "csv");
    const text = String(await t.storage.get(csv?.file_key as string));
    expect(text.split("\n")[0]).toMatch(/,Integration,Sync runs,Success rate,Error rate,/);
    expect(text).toContain("Moodle campus,5,75,25,525,15,2,50,75,75");
    const pdf = done.find((j) => j.output_format === "pdf");
    expect(String(await t.storage.get(pdf?.file_key as string)).slice(0, 5)).toBe("%PDF-");
  });
});
