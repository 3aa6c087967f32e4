import { createRequire } from "node:module";
import path from "node:path";
import { DOMParser } from "@xmldom/xmldom";
import JSZip from "jszip";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { reportWorld } from "../../../test/report-data.js";
import { createCourse } from "../catalog/courses.js";
import { addMember } from "../organizations/service.js";
import { createDepartment } from "../organizations/structure.js";
import { processNextReportJob } from "./runner.js";

/**
 * How the engine forms, orders, marks and limits report rows, on test/report-data.ts's world
 * with a little more: a department named "Other" (learner L7), a third course "Zen coding"
 * whose category is empty text, fully completed by L6 and L7, and two more graded attempts on
 * "Safety check" (L4 scored 100, L3's has no score). Figures are worked out by hand:
 *
 *   enrollments   Safety basics 4 (2 completed: 50 %), Sales craft 3 (1: 33.33 %),
 *                 Zen coding 2 (2: 100 %) — 9 in all
 *   departments   Engineering 4, Sales 4, Other 1
 *   scores        60, 80, 90, 100 and one without a score
 */

let t: TestApp;
let world: Awaited<ReturnType<typeof reportWorld>>;

beforeAll(async () => {
  t = await createTestApp();
  world = await reportWorld(t);
  const { orgId, ids } = world;
  const other = await createDepartment(t.system, orgId, { name: "Other", code: "OTH" });
  const l7 = await makeUser(t, { firstName: "L7", lastName: "Doe" });
  await addMember(t.system, orgId, {
    userId: l7.id,
    roleKeys: ["learner"],
    departmentId: other.id,
  });
  const zen = await createCourse(t.system, {
    organizationId: orgId,
    instructorId: ids.viewer as string,
    code: "R-C3",
    title: "Zen coding",
    description: "A course for the report engine tests.",
    category: "zen",
  });
  await t.system.db.updateTable("courses").set({ category: "" }).where("id", "=", zen.id).execute();
  for (const learner of [ids.L6 as string, l7.id])
    await t.system.db
      .insertInto("enrollments")
      .values({
        user_id: learner,
        course_id: zen.id,
        organization_id: orgId,
        status: "completed",
        progress_percent: 100,
        time_spent_seconds: 600,
        enrolled_at: new Date("2026-02-10T10:00:00Z"),
        started_at: new Date("2026-02-10T10:00:00Z"),
        completed_at: new Date("2026-02-11T10:00:00Z"),
      })
      .execute();
  const quiz = await t.system.db
    .selectFrom("quizzes")
    .select("id")
    .where("title", "=", "Safety check")
    .executeTakeFirstOrThrow();
  for (const [learner, score, passed] of [
    ["L4", 100, true],
    ["L3", null, null],
  ] as const)
    await t.system.db
      .insertInto("quiz_attempts")
      .values({
        quiz_id: quiz.id,
        enrollment_id: ids[`${learner}-c1`] as string,
        user_id: ids[learner] as string,
        course_id: ids.c1 as string,
        attempt_number: 2,
        status: "graded",
        started_at: new Date("2026-03-04T10:00:00Z"),
        submitted_at: new Date("2026-03-04T10:20:00Z"),
        question_ids: [],
        score,
        passed,
      })
      .execute();
});
afterAll(() => t.close());

interface Row {
  values: Record<string, unknown>;
  total: boolean;
  kind?: string;
  groupedBy?: string[];
  other?: string[];
}

async function preview(definition: unknown, as = world.who.viewer, limit = 100) {
  const res = await t.http.post(
    `${world.url}/preview?limit=${limit}`,
    definition,
    as as Parameters<TestApp["http"]["post"]>[2],
  );
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as {
    rows: Row[];
    columns: Array<{ key: string; type: string; granularity?: string }>;
  };
}

/** Runs a definition as a report job and answers the stored file. */
async function file(definition: unknown, outputFormat: "csv" | "excel" | "json" | "pdf") {
  const res = await t.http.post(
    `/api/v1/organizations/${world.orgId}/report-jobs`,
    { name: "Rows", definition, outputFormat },
    world.who.viewer as Parameters<TestApp["http"]["post"]>[2],
  );
  if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  const job = await processNextReportJob(t.lyceum.services, "rows-worker");
  expect(job?.status).toBe("ready");
  return (await t.storage.get(job?.file_key as string)) as Buffer;
}

const csvLines = (bytes: Buffer) => bytes.toString("utf8").split("\r\n").slice(0, -1);

/** The first sheet's cells by reference (A1 …): numbers as numbers, text as text. */
async function sheetCells(bytes: Buffer) {
  const zip = await JSZip.loadAsync(bytes);
  const xml = (await zip.file("xl/worksheets/sheet1.xml")?.async("string")) ?? "<x/>";
  const cells = new Map<string, string | number>();
  for (const c of [...new DOMParser().parseFromString(xml, "text/xml").getElementsByTagName("c")]) {
    const text =
      c.getElementsByTagName("t")[0]?.textContent ?? c.getElementsByTagName("v")[0]?.textContent;
    if (text === undefined || text === null) continue;
    cells.set(c.getAttribute("r") ?? "", c.getAttribute("t") ? text : Number(text));
  }
  return cells;
}

const fonts = `${path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;

/** The text pieces of a PDF, in the order they are drawn. */
async function pdfText(bytes: Buffer) {
  const pdf = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: fonts })
    .promise;
  const pieces: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++)
    for (const item of (await (await pdf.getPage(i)).getTextContent()).items)
      if ("str" in item && item.str.trim()) pieces.push(item.str);
  return pieces;
}

/** Each row's value of one key, its count `n`, and the keys it marks as the Other bucket. */
const byKey = (rows: Row[], key: string) =>
  rows.map((r) => [r.values[key], r.values.n, r.other ?? null]);
const count = [{ id: "n", type: "count" }];

describe("report rows", () => {
  it("count-distinct counts neither empty text nor missing values", async () => {
    const report = await preview({
      measures: [
        { id: "categories", type: "count-distinct", field: "course.category" },
        { id: "n", type: "count" },
      ],
    });
    // safety, sales and '' (Zen coding): two values that are not empty.
    expect(report.rows.map((r) => r.values)).toEqual([{ categories: 2, n: 9 }]);
  });

  it("writes time buckets as local dates and times without a zone, alike in every path and file", async () => {
    const events = [{ id: "events", type: "event-count" }];
    const byHour = await preview({
      dimensions: [{ entity: "time", fields: ["hour"] }],
      measures: events,
    });
    expect(byHour.columns[0]).toMatchObject({
      key: "time.hour",
      type: "date",
      granularity: "hour",
    });
    // 03:00 UTC on 1 March is 22:00 on 28 February in New York (UTC−5).
    const hours = [
      ["2026-02-15T07:00", 1],
      ["2026-02-28T22:00", 1],
      ["2026-03-01T07:00", 1],
      ["2026-03-02T07:00", 1],
      ["2026-03-05T07:00", 1],
    ];
    expect(byHour.rows.map((r) => [r.values["time.hour"], r.values.events])).toEqual(hours);
    const months = [
      ["2026-02-01", 2],
      ["2026-03-01", 3],
    ];
    const month = { field: "activity.occurredAt", granularity: "month" };
    for (const group of [month, { ...month, topN: 2 }]) {
      const report = await preview({ measures: events, groups: [group] });
      expect(report.columns[0]).toMatchObject({ type: "date", granularity: "month" });
      expect(
        report.rows.map((r) => [r.values["activity.occurredAt:month"], r.values.events]),
      ).toEqual(months);
    }
    const byDay = await preview({
      measures: events,
      slicers: [{ field: "activity.occurredAt", type: "time", timeGranularity: "day" }],
    });
    expect(byDay.rows.map((r) => r.values["activity.occurredAt:day"])).toEqual([
      "2026-02-15",
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
      "2026-03-05",
    ]);

    const definition = { dimensions: [{ entity: "time", fields: ["hour"] }], measures: events };
    expect(csvLines(await file(definition, "csv"))).toEqual([
      ",Hour,Event count",
      ...hours.map(([hour, n]) => `,${hour},${n}`),
    ]);
    const json = JSON.parse((await file(definition, "json")).toString("utf8"));
    expect(json.rows.map((r: Row) => r.values["time.hour"])).toEqual(hours.map(([h]) => h));
    const pdf = await pdfText(await file(definition, "pdf"));
    expect(pdf.slice(pdf.indexOf("Hour") + 2, pdf.indexOf("Hour") + 6)).toEqual([
      "2026-02-15 07:00",
      "1",
      "2026-02-28 22:00",
      "1",
    ]);
    // In a workbook the bucket is a date cell holding that wall-clock time, whatever the zone
    // of the process that writes it.
    const zone = process.env.TZ;
    process.env.TZ = "Asia/Kolkata";
    try {
      const cells = await sheetCells(await file(definition, "excel"));
      expect(cells.get("A3")).toBe(25_569 + Date.UTC(2026, 1, 28, 22) / 86_400_000);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("puts each subtotal right after its group's rows, and marks detail, subtotal and total rows", async () => {
    const definition = {
      dimensions: [
        { entity: "course", fields: ["title"] },
        { entity: "enrollment", fields: ["status"] },
      ],
      measures: [{ id: "n", type: "count" }],
      display: { showSubtotals: true },
    };
    const report = await preview(definition);
    expect(
      report.rows.map((r) => [
        r.kind,
        r.total,
        r.values["course.title"],
        r.values["enrollment.status"],
        r.values.n,
        r.groupedBy ?? null,
      ]),
    ).toEqual([
      ["detail", false, "Safety basics", "active", 1, null],
      ["detail", false, "Safety basics", "completed", 2, null],
      ["detail", false, "Safety basics", "dropped", 1, null],
      ["subtotal", true, "Safety basics", null, 4, ["course.title"]],
      ["detail", false, "Sales craft", "active", 2, null],
      ["detail", false, "Sales craft", "completed", 1, null],
      ["subtotal", true, "Sales craft", null, 3, ["course.title"]],
      ["detail", false, "Zen coding", "completed", 2, null],
      ["subtotal", true, "Zen coding", null, 2, ["course.title"]],
      ["total", true, null, null, 9, null],
    ]);
    // CSV's first column tells subtotals from the total; the subtotal's group is in its cells.
    expect(csvLines(await file(definition, "csv"))).toEqual([
      ",Title,Status,Count",
      ",Safety basics,active,1",
      ",Safety basics,completed,2",
      ",Safety basics,dropped,1",
      "Subtotal,Safety basics,,4",
      ",Sales craft,active,2",
      ",Sales craft,completed,1",
      "Subtotal,Sales craft,,3",
      ",Zen coding,completed,2",
      "Subtotal,Zen coding,,2",
      "Total,,,9",
    ]);
    // XLSX and PDF write "Subtotal" where the subtotal's sum begins, "Total" at the start.
    const cells = await sheetCells(await file(definition, "excel"));
    expect([5, 8, 10, 11].map((r) => [`A${r}`, `B${r}`, `C${r}`].map((c) => cells.get(c)))).toEqual(
      [
        ["Safety basics", "Subtotal", 4],
        ["Sales craft", "Subtotal", 3],
        ["Zen coding", "Subtotal", 2],
        ["Total", undefined, 9],
      ],
    );
    const text = await pdfText(await file(definition, "pdf"));
    expect(text.slice(text.indexOf("Title"))).toEqual([
      ...["Title", "Status", "Count"],
      ...["Safety basics", "active", "1", "Safety basics", "completed", "2"],
      ...["Safety basics", "dropped", "1", "Safety basics", "Subtotal", "4"],
      ...["Sales craft", "active", "2", "Sales craft", "completed", "1"],
      ...["Sales craft", "Subtotal", "3", "Zen coding", "completed", "2"],
      ...["Zen coding", "Subtotal", "2", "Total", "9", "Page 1 of 1"],
    ]);
  });

  it("puts range bounds in their buckets, empty values apart from Other, and marks the synthetic Other", async () => {
    const scores = async (buckets: unknown[]) =>
      (
        await preview(
          { measures: count, slicers: [{ field: "assessment.score", type: "range", buckets }] },
          world.who.admin,
        )
      ).rows;
    // Ranges are [min, max) but the last is [min, max]: 80 is High, and so is 100. The
    // attempt without a score has no value — a bucket of its own, not Other. Buckets come in
    // the definition's order.
    expect(
      byKey(
        await scores([
          { label: "Low", max: 80 },
          { label: "High", min: 80, max: 100 },
        ]),
        "assessment.score",
      ),
    ).toEqual([
      ["Low", 1, null],
      ["High", 3, null],
      [null, 1, null],
    ]);
    expect(
      byKey(await scores([{ label: "Pass band", min: 70, max: 100 }]), "assessment.score"),
    ).toEqual([
      ["Pass band", 3, null],
      [null, 1, null],
      ["Other", 1, ["assessment.score"]],
    ]);

    // A department really named "Other" stays apart from the departments not listed.
    const definition = {
      measures: count,
      slicers: [
        { field: "department.name", type: "categorical", values: ["Engineering", "Other"] },
      ],
    };
    expect(byKey((await preview(definition)).rows, "department.name")).toEqual([
      ["Engineering", 4, null],
      ["Other", 1, null],
      ["Other", 4, ["department.name"]],
    ]);
    expect(csvLines(await file(definition, "csv"))).toEqual([
      ",Department,Count",
      ",Engineering,4",
      ",Other,1",
      ",(Other),4",
    ]);
    const top = await preview({
      measures: count,
      groups: [
        {
          field: "department.name",
          topN: 1,
          sortBy: "count",
          sortDirection: "desc",
          showOther: true,
        },
      ],
    });
    // Engineering and Sales have 4 each: the tie goes to the first label.
    expect(byKey(top.rows, "department.name")).toEqual([
      ["Engineering", 4, null],
      ["Other", 5, ["department.name"]],
    ]);
  });

  it("ranks a top N by the group's sortBy and sortDirection, and orders the groups that way", async () => {
    const courses = async (group: object, display: object = {}) =>
      (
        await preview({
          measures: [
            { id: "rate", type: "completion-rate" },
            { id: "n", type: "count" },
          ],
          groups: [{ field: "course.title", ...group }],
          display,
        })
      ).rows.map((r) => [r.values["course.title"], r.values.rate, r.values.n, r.other ?? null]);
    const safety = ["Safety basics", 50, 4, null];
    const sales = ["Sales craft", 33.33, 3, null];
    const zen = ["Zen coding", 100, 2, null];
    // By value: the report's first measure, here the completion rate. The best two, then the
    // worst two — not the two largest courses.
    expect(await courses({ topN: 2, sortBy: "value", sortDirection: "desc" })).toEqual([
      zen,
      safety,
    ]);
    expect(await courses({ topN: 2, sortBy: "value", sortDirection: "asc" })).toEqual([
      sales,
      safety,
    ]);
    // The measure display.sortBy names, when it names one.
    expect(
      await courses({ topN: 1, sortBy: "value", sortDirection: "desc" }, { sortBy: "n" }),
    ).toEqual([safety]);
    expect(await courses({ topN: 2, sortBy: "count", sortDirection: "desc" })).toEqual([
      safety,
      sales,
    ]);
    expect(await courses({ topN: 2, sortBy: "label", sortDirection: "desc" })).toEqual([
      zen,
      sales,
    ]);
    // Without a top N the groups are ordered the same way; Other comes last.
    expect(await courses({ sortBy: "count", sortDirection: "asc" })).toEqual([zen, sales, safety]);
    expect(
      await courses({ topN: 1, sortBy: "value", sortDirection: "asc", showOther: true }),
    ).toEqual([sales, ["Other", 66.67, 6, ["course.title"]]]);

    // A department named Other in the top N stays apart from the Other bucket.
    const departments = await preview({
      measures: count,
      groups: [
        {
          field: "department.name",
          topN: 2,
          sortBy: "label",
          sortDirection: "desc",
          showOther: true,
        },
      ],
    });
    expect(byKey(departments.rows, "department.name")).toEqual([
      ["Sales", 4, null],
      ["Other", 1, null],
      ["Other", 4, ["department.name"]],
    ]);
    // An empty value is a group like the others: here the largest.
    const completed = await preview({
      measures: count,
      groups: [
        {
          field: "enrollment.completedAt",
          granularity: "month",
          topN: 1,
          sortBy: "count",
          sortDirection: "desc",
          showOther: true,
        },
      ],
    });
    expect(byKey(completed.rows, "enrollment.completedAt:month")).toEqual([
      [null, 4, null],
      ["Other", 5, ["enrollment.completedAt:month"]],
    ]);
  });

  it("caps detail rows with display.limit and the preview's limit alike, keeping subtotals and the total", async () => {
    const course = { entity: "course", fields: ["title"] };
    const status = { entity: "enrollment", fields: ["status"] };
    const byCourse = (display: object) => ({
      dimensions: [course],
      measures: count,
      display: { showTotals: true, ...display },
    });
    const rows = (report: { rows: Row[] }, keys = ["course.title"]) =>
      report.rows.map((r) => [r.kind, ...keys.map((k) => r.values[k]), r.values.n]);
    const two = [
      ["detail", "Safety basics", 4],
      ["detail", "Sales craft", 3],
      ["total", null, 9],
    ];
    // The preview honours display.limit; its own limit caps the detail rows too (the lower
    // of the two counts); neither cuts the total, which covers every row.
    expect(rows(await preview(byCourse({ limit: 2 })))).toEqual(two);
    expect(rows(await preview(byCourse({}), world.who.viewer, 2))).toEqual(two);
    expect(rows(await preview(byCourse({ limit: 2 }), world.who.viewer, 1))).toEqual([
      ["detail", "Safety basics", 4],
      ["total", null, 9],
    ]);
    // A file holds what the preview shows.
    expect(csvLines(await file(byCourse({ limit: 2 }), "csv"))).toEqual([
      ",Title,Count",
      ",Safety basics,4",
      ",Sales craft,3",
      "Total,,9",
    ]);
    // With subtotals, a group cut short keeps its subtotal; groups past the limit are gone.
    const keys = ["course.title", "enrollment.status"];
    expect(
      rows(
        await preview({
          dimensions: [course, status],
          measures: count,
          display: { showSubtotals: true, limit: 4 },
        }),
        keys,
      ),
    ).toEqual([
      ["detail", "Safety basics", "active", 1],
      ["detail", "Safety basics", "completed", 2],
      ["detail", "Safety basics", "dropped", 1],
      ["subtotal", "Safety basics", null, 4],
      ["detail", "Sales craft", "active", 2],
      ["subtotal", "Sales craft", null, 3],
      ["total", null, null, 9],
    ]);
    const deep = ["department.name", ...keys];
    expect(
      rows(
        await preview({
          dimensions: [{ entity: "department", fields: ["name"] }, course, status],
          measures: count,
          display: { showSubtotals: true, limit: 2 },
        }),
        deep,
      ),
    ).toEqual([
      ["detail", "Engineering", "Safety basics", "active", 1],
      ["detail", "Engineering", "Safety basics", "completed", 2],
      ["subtotal", "Engineering", "Safety basics", null, 3],
      ["subtotal", "Engineering", null, null, 4],
      ["total", null, null, null, 9],
    ]);
  });
});
