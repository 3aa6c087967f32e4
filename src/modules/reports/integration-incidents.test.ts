import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { expectBaseRefused } from "../../../test/report-bases.js";

/**
 * The integration-incident base: incidents inserted with known times, and the figures the
 * report engine gives for them, worked out by hand below.
 */

let t: TestApp;
let orgId: string;
let url: string;
let who: Record<string, Parameters<TestApp["http"]["get"]>[1]>;
const ids: Record<string, string> = {};

const HOUR = 3_600_000;
const now = Date.now();
const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR);

async function integration(organizationId: string, name: string, code: string, lmsType: string) {
  const row = await t.system.db
    .insertInto("lms_integrations")
    .values({
      organization_id: organizationId,
      name,
      code,
      lms_type: lmsType,
      method: "api",
    } as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id as string;
}

interface IncidentSpec {
  opened: number;
  resolved?: number;
  failures: number;
  error?: string;
  organizationId?: string;
}

async function incident(integrationId: string, spec: IncidentSpec) {
  const row = await t.system.db
    .insertInto("integration_incidents")
    .values({
      organization_id: spec.organizationId ?? orgId,
      integration_id: integrationId,
      status: spec.resolved === undefined ? "open" : "resolved",
      failures: spec.failures,
      last_error: spec.error ?? null,
      opened_at: at(spec.opened),
      resolved_at: spec.resolved === undefined ? null : at(spec.resolved),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  t = await createTestApp();
  const { org, people } = await makeOrganization(t, {
    name: "Incidents Org",
    people: [{ key: "viewer", roles: ["report-viewer"] }],
  });
  orgId = org.id;
  url = `/api/v1/organizations/${orgId}/report-metadata`;
  who = { admin: people.admin, viewer: people.viewer };
  const other = await makeOrganization(t, { name: "Other Incidents Org" });
  ids.other = other.org.id;
  who.otherAdmin = other.people.admin;

  ids.moodle = await integration(orgId, "Moodle campus", "moodle", "moodle");
  ids.canvas = await integration(orgId, "Canvas school", "canvas", "canvas");
  ids.foreign = await integration(ids.other, "Foreign Moodle", "foreign", "moodle");

  // Moodle: resolved after 6 h and after 2 h; one open for 10 h.
  ids.m1 = await incident(ids.moodle, { opened: 200, resolved: 194, failures: 3 });
  ids.m2 = await incident(ids.moodle, { opened: 100, resolved: 98, failures: 4 });
  ids.m3 = await incident(ids.moodle, {
    opened: 10,
    failures: 3,
    error: "The Moodle server did not answer in time",
  });
  // Canvas: resolved after 10 h; one of 120 days ago, resolved after 1 h.
  ids.c1 = await incident(ids.canvas, { opened: 50, resolved: 40, failures: 5 });
  ids.cOld = await incident(ids.canvas, { opened: 120 * 24, resolved: 120 * 24 - 1, failures: 3 });
  // The other organization's incident.
  await incident(ids.foreign, { opened: 5, failures: 7, organizationId: ids.other });
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

const incidents = {
  dimensions: [{ entity: "integration", fields: ["name"] }],
  measures: [
    { id: "incidents", type: "incident-count" },
    { id: "open", type: "open-incidents" },
    { id: "avgHours", type: "avg-hours-to-resolve" },
    { id: "medianHours", type: "median-hours-to-resolve" },
  ],
  display: { sortBy: "integration.name", showTotals: true },
};

describe("the integration-incident report base", () => {
  it("counts the organization's incidents per integration, open ones and time to resolve", async () => {
    const report = await preview(incidents);
    expect(report.base).toBe("integration-incident");
    // Canvas: 10 h and 1 h; Moodle: 6 h and 2 h resolved, one open (left out of the hours).
    // All: 1, 2, 6, 10 h → mean 4.75, median (2 + 6) / 2 = 4.
    expect(report.rows.map((r) => [r.kind, r.values])).toEqual([
      [
        "detail",
        {
          "integration.name": "Canvas school",
          incidents: 2,
          open: 0,
          avgHours: 5.5,
          medianHours: 5.5,
        },
      ],
      [
        "detail",
        { "integration.name": "Moodle campus", incidents: 3, open: 1, avgHours: 4, medianHours: 4 },
      ],
      [
        "total",
        { "integration.name": null, incidents: 5, open: 1, avgHours: 4.75, medianHours: 4 },
      ],
    ]);
    // The last 90 days leave out Canvas's incident of 120 days ago: 2, 6 and 10 h.
    const recent = await preview({ ...incidents, filters: { lastDays: 90 } });
    expect(recent.rows.map((r) => r.values)).toEqual([
      { "integration.name": "Canvas school", incidents: 1, open: 0, avgHours: 10, medianHours: 10 },
      { "integration.name": "Moodle campus", incidents: 3, open: 1, avgHours: 4, medianHours: 4 },
      { "integration.name": null, incidents: 4, open: 1, avgHours: 6, medianHours: 6 },
    ]);
    // The opening date is the base's own date: a range on it.
    const ranged = await preview({
      measures: [{ id: "incidents", type: "incident-count" }],
      filters: {
        dateRange: {
          field: "eventDate",
          start: at(60).toISOString(),
          end: at(5).toISOString(),
        },
      },
    });
    expect(ranged.base).toBe("integration-incident");
    expect(ranged.rows.map((r) => r.values)).toEqual([{ incidents: 2 }]);
  });

  it("shows each incident's fields, the hours open up to now for an open one", async () => {
    const report = await preview({
      dimensions: [
        { entity: "integration", fields: ["code"] },
        {
          entity: "incident",
          fields: ["id", "status", "failures", "lastError", "openedAt", "resolvedAt", "hoursOpen"],
        },
      ],
      measures: [{ id: "incidents", type: "incident-count" }],
      filters: { customFilters: [{ field: "integration.code", operator: "eq", value: "moodle" }] },
      display: { sortBy: "incident.openedAt" },
    });
    const rows = report.rows.map((r) => r.values);
    expect(rows).toHaveLength(3);
    expect(rows.slice(0, 2)).toEqual([
      {
        "integration.code": "moodle",
        "incident.id": ids.m1,
        "incident.status": "resolved",
        "incident.failures": 3,
        "incident.lastError": null,
        "incident.openedAt": expect.any(String),
        "incident.resolvedAt": expect.any(String),
        "incident.hoursOpen": 6,
        incidents: 1,
      },
      expect.objectContaining({ "incident.id": ids.m2, "incident.hoursOpen": 2 }),
    ]);
    expect(new Date(rows[0]?.["incident.openedAt"] as string).getTime()).toBe(at(200).getTime());
    expect(new Date(rows[0]?.["incident.resolvedAt"] as string).getTime()).toBe(at(194).getTime());
    expect(rows[2]).toMatchObject({
      "incident.id": ids.m3,
      "incident.status": "open",
      "incident.lastError": "The Moodle server did not answer in time",
      "incident.resolvedAt": null,
    });
    // Open since 10 h ago, counted up to the database's now (the test's few seconds aside).
    expect(Number(rows[2]?.["incident.hoursOpen"])).toBeGreaterThanOrEqual(10);
    expect(Number(rows[2]?.["incident.hoursOpen"])).toBeLessThan(10.1);
    // Open incidents only, through the status field.
    const open = await preview({
      dimensions: [{ entity: "integration", fields: ["name"] }],
      measures: [{ id: "incidents", type: "incident-count" }],
      filters: { customFilters: [{ field: "incident.status", operator: "eq", value: "open" }] },
    });
    expect(open.rows.map((r) => r.values)).toEqual([
      { "integration.name": "Moodle campus", incidents: 1 },
    ]);
  });

  it("never shows another organization's incidents or integrations", async () => {
    const mine = await preview({
      dimensions: [{ entity: "incident", fields: ["id"] }],
      measures: [{ id: "incidents", type: "incident-count" }],
    });
    expect(mine.rows.map((r) => r.values["incident.id"]).sort()).toEqual(
      [ids.m1, ids.m2, ids.m3, ids.c1, ids.cOld].sort(),
    );
    const theirs = await preview(incidents, who.otherAdmin, ids.other);
    expect(theirs.rows.map((r) => r.values)).toEqual([
      {
        "integration.name": "Foreign Moodle",
        incidents: 1,
        open: 1,
        avgHours: null,
        medianHours: null,
      },
      { "integration.name": null, incidents: 1, open: 1, avgHours: null, medianHours: null },
    ]);
    // An incident of this organization that names another organization's integration (a bug)
    // shows no name of theirs.
    const stray = await incident(ids.foreign as string, { opened: 3, resolved: 2, failures: 3 });
    try {
      const report = await preview({
        dimensions: [{ entity: "integration", fields: ["name", "code"] }],
        measures: [{ id: "incidents", type: "incident-count" }],
        filters: { customFilters: [{ field: "incident.id", operator: "eq", value: stray }] },
      });
      expect(report.rows.map((r) => r.values)).toEqual([
        { "integration.name": null, "integration.code": null, incidents: 1 },
      ]);
    } finally {
      await t.system.db.deleteFrom("integration_incidents").where("id", "=", stray).execute();
    }
  });

  it("is refused to those without integrations:manage, and not offered to them", async () => {
    await expectBaseRefused(t, {
      orgId,
      base: "integration-incident",
      label: "integration incidents",
      template: "integration-incidents",
      definitions: [
        incidents,
        { measures: [{ id: "open", type: "open-incidents" }], groups: [{ field: "time.month" }] },
      ],
      admin: who.admin,
      viewer: who.viewer,
    });
    const catalog = (await t.http.get(`${url}/dimensions`, who.viewer)).body.data;
    expect(
      catalog.dimensions.find((d: { entity: string }) => d.entity === "incident"),
    ).toMatchObject({ bases: ["integration-incident"], allowed: false });
  });

  it("keeps incidents apart from sync runs and learning, and refuses learning filters", async () => {
    const mixed = await t.http.post(
      `${url}/validate`,
      {
        dimensions: [{ entity: "sync-run", fields: ["status"] }],
        measures: [{ id: "incidents", type: "incident-count" }],
      },
      who.admin,
    );
    expect(mixed.body.data.errors).toEqual([
      expect.objectContaining({
        field: "measures",
        message: expect.stringMatching(/share a base/),
      }),
    ]);
    const filtered = await t.http.post(
      `${url}/validate`,
      {
        measures: [{ id: "incidents", type: "incident-count" }],
        filters: { learnerIds: [ids.moodle], completionStatus: ["complete"] },
      },
      who.admin,
    );
    expect(filtered.body.data.errors.map((p: { field: string }) => p.field).sort()).toEqual([
      "filters.completionStatus",
      "filters.learnerIds",
    ]);
  });
});
