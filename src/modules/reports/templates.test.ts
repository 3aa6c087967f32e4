import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { reportWorld } from "../../../test/report-data.js";
import { PREDEFINED } from "./predefined.js";
import { processNextReportJob } from "./runner.js";

let t: TestApp;
let world: Awaited<ReturnType<typeof reportWorld>>;

beforeAll(async () => {
  t = await createTestApp({ env: { REPORT_JOBS_PER_HOUR: "100" } });
  world = await reportWorld(t);
});
afterAll(() => t.close());

const base = () => `/api/v1/organizations/${world.orgId}/report-templates`;

async function drain() {
  const done = [];
  for (;;) {
    const job = await processNextReportJob(t.lyceum.services, "template-worker");
    if (!job) return done;
    done.push(job);
  }
}

describe("report templates", () => {
  it("include the twelve predefined reports, each run by the engine", async () => {
    const res = await t.http.get(`${base()}?system=true`, world.who.admin);
    expect(res.status).toBe(200);
    expect(res.body.data.map((x: { slug: string }) => x.slug).sort()).toEqual(
      Object.keys(PREDEFINED).sort(),
    );
    for (const template of res.body.data) {
      const job = await t.http.post(
        `/api/v1/report-templates/${template.id}/generate`,
        { organizationId: world.orgId, outputFormat: "json" },
        world.who.admin,
      );
      expect(job.status, template.slug).toBe(201);
    }
    const finished = await drain();
    expect(finished.map((j) => [j.report_type, j.status]).filter(([, s]) => s !== "ready")).toEqual(
      [],
    );
    expect(finished).toHaveLength(12);
    const completion = finished.find((j) => j.report_type === "completion-rates");
    const file = await t.storage.get(completion?.file_key as string);
    const rows = JSON.parse(String(file)).rows.map(
      (r: { values: Record<string, unknown> }) => r.values,
    );
    expect(rows[0]).toMatchObject({ "course.title": "Safety basics", completionRate: 50 });
    const certs = finished.find((j) => j.report_type === "certification-status");
    const certRows = JSON.parse(String(await t.storage.get(certs?.file_key as string))).rows;
    expect(
      certRows
        .filter((r: { total: boolean }) => !r.total)
        .map((r: { values: Record<string, unknown> }) => r.values),
    ).toEqual([
      { "course.title": "Safety basics", "certificate.status": "none", enrollments: 4 },
      { "course.title": "Sales craft", "certificate.status": "none", enrollments: 3 },
    ]);
    const used = await t.http.get(`${base()}?system=true`, world.who.admin);
    expect(used.body.data.every((x: { usageCount: number }) => x.usageCount === 1)).toBe(true);
    // System templates are read-only; a copy is not.
    const system = res.body.data[0];
    let change = await t.http.put(
      `/api/v1/report-templates/${system.id}`,
      { name: "Mine" },
      world.who.admin,
    );
    expect(change.status).toBe(403);
    const copy = await t.http.post(
      `/api/v1/report-templates/${system.id}/duplicate`,
      { organizationId: world.orgId },
      world.who.admin,
    );
    expect(copy.status).toBe(201);
    expect(copy.body.data).toMatchObject({
      isSystem: false,
      visibility: "private",
      reportType: "custom",
    });
    change = await t.http.put(
      `/api/v1/report-templates/${copy.body.data.id}`,
      { name: "Mine" },
      world.who.admin,
    );
    expect(change.status).toBe(200);
  });

  it("keep private templates private until shared, and version every change", async () => {
    let res = await t.http.post(
      base(),
      {
        name: "Completion by department",
        definition: {
          dimensions: [{ entity: "department", fields: ["name"] }],
          measures: [{ id: "rate", type: "completion-rate" }],
        },
        category: "completion",
        tags: ["monthly"],
      },
      world.who.viewer,
    );
    expect(res.status).toBe(201);
    const template = res.body.data;
    expect(template).toMatchObject({
      slug: "completion-by-department",
      version: 1,
      visibility: "private",
    });
    expect(
      (await t.http.get(`/api/v1/report-templates/${template.id}`, world.who.head)).status,
    ).toBe(404);
    res = await t.http.post(
      `/api/v1/report-templates/${template.id}/share`,
      { userIds: [world.ids.head] },
      world.who.viewer,
    );
    expect(res.body.data.sharedWith).toEqual([world.ids.head]);
    expect(
      (await t.http.get(`/api/v1/report-templates/${template.id}`, world.who.head)).status,
    ).toBe(200);
    // Only the author (or a report manager) changes it.
    expect(
      (
        await t.http.put(
          `/api/v1/report-templates/${template.id}`,
          { name: "Hijacked" },
          world.who.head,
        )
      ).status,
    ).toBe(403);
    res = await t.http.put(
      `/api/v1/report-templates/${template.id}`,
      { name: "Completion by department (monthly)", tags: ["monthly", "hr"] },
      world.who.viewer,
    );
    expect(res.body.data).toMatchObject({
      version: 2,
      previousVersionId: template.id,
      isLatest: true,
    });
    const versions = await t.http.get(
      `/api/v1/report-templates/${template.id}/versions`,
      world.who.viewer,
    );
    expect(
      versions.body.data.map((v: { version: number; isLatest: boolean }) => [
        v.version,
        v.isLatest,
      ]),
    ).toEqual([
      [2, true],
      [1, false],
    ]);
    // The old id still leads to the latest version; the slug stays.
    res = await t.http.get(`/api/v1/report-templates/${template.id}`, world.who.viewer);
    expect(res.body.data).toMatchObject({ version: 2, slug: "completion-by-department" });
    res = await t.http.post(
      base(),
      {
        name: "x",
        slug: "completion-by-department",
        definition: { measures: [{ id: "n", type: "count" }] },
      },
      world.who.viewer,
    );
    expect(res.body.error.code).toBe("SLUG_TAKEN");
    res = await t.http.post(
      base(),
      { name: "Bad", definition: { measures: [{ id: "n", type: "nope" }] } },
      world.who.viewer,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("definition.measures.0.type");

    // Department visibility: Engineering's people see it.
    res = await t.http.post(
      `/api/v1/report-templates/${template.id}/share`,
      { visibility: "department", departmentId: world.ids.eng },
      world.who.viewer,
    );
    expect(res.body.data).toMatchObject({ visibility: "department", departmentId: world.ids.eng });
    const l1 = await t.http.get(`${base()}?system=false`, world.who.L1);
    expect(l1.body.data.map((x: { id: string }) => x.id)).toContain(res.body.data.id);

    // Generating counts the use on the template.
    const job = await t.http.post(
      `/api/v1/report-templates/${template.id}/generate`,
      { filters: { departmentIds: [world.ids.eng] } },
      world.who.viewer,
    );
    expect(job.status).toBe(201);
    const [ran] = await drain();
    expect(ran).toMatchObject({ status: "ready", template_id: res.body.data.id });
    const ranDefinition = ran?.definition as { filters: unknown };
    expect(ranDefinition.filters).toEqual({
      departmentIds: [world.ids.eng],
    });
    res = await t.http.get(`/api/v1/report-templates/${template.id}`, world.who.viewer);
    expect(res.body.data).toMatchObject({ usageCount: 1 });

    expect(
      (await t.http.delete(`/api/v1/report-templates/${template.id}`, world.who.viewer)).status,
    ).toBe(200);
    expect(
      (await t.http.get(`/api/v1/report-templates/${template.id}`, world.who.viewer)).status,
    ).toBe(404);
  });
});
