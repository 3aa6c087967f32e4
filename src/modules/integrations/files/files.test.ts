import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser } from "../../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../../test/harness.js";
import { drainJobs } from "../../../../test/jobs.js";
import { multipart } from "../../../../test/multipart.js";
import { parseCsv } from "../../../platform/csv.js";
import { addMember } from "../../organizations/service.js";
import { suggestMapping } from "./mapping.js";

/**
 * File imports over HTTP: an administrator uploads a CSV or an XLSX to an integration of type
 * file, maps its columns, tries a dry run, imports it through the worker, and downloads the
 * per-row result.
 */
const MAX_BYTES = 64 * 1024;
const MAX_ROWS = 40;

let t: TestApp;
let orgId: string;
let admin: Credentials;
let other: Credentials;
let fileIntegration: string;
let moodleIntegration: string;

const CSV = [
  "Email,First Name,Last Name,Course ID,Course Title,Status,Completed At,Score,Cost,Currency",
  "ann@files.example,Ann,Lee,SAFE-1,Safety basics,completed,2026-03-02,91,49.90,EUR",
  "bob@files.example,Bob,Ray,SAFE-1,Safety basics,in progress,,,,",
  "stranger@elsewhere.example,Sam,Who,SAFE-1,Safety basics,completed,2026-03-03,80,,",
  "ann@files.example,Ann,Lee,GDPR-2,Data protection,passed,2026-02-01T09:30:00Z,77.5,,",
  "bob@files.example,Bob,Ray,GDPR-2,Data protection,sleeping,,,,",
  "cy@files.example,Cy,Park,GDPR-2,Data protection,completed,31/02/2026,,,",
  "bob@files.example,Bob,Ray,SAFE-1,Safety basics,completed,2026-03-05,,,",
].join("\r\n");

/** Works the queue until the runs it started are done. */
const work = () => drainJobs(t, ["integrations.sync"]);

function upload(
  integrationId: string,
  name: string,
  type: string,
  bytes: Buffer,
  as: Credentials = admin,
) {
  return t.http.request("POST", `/api/v1/lms-integrations/${integrationId}/file-imports`, {
    ...multipart(name, type, bytes),
    as,
  });
}

async function integration(body: Record<string, unknown>) {
  const res = await t.http.post(`/api/v1/organizations/${orgId}/lms-integrations`, body, admin);
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Completions");
  for (const row of rows) sheet.addRow(row);
  workbook.addWorksheet("Notes").addRow(["ignored"]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The result file as rows of text, the header first. */
async function result(fileImportId: string) {
  const res = await t.lyceum.app.inject({
    method: "GET",
    url: `/api/v1/integration-file-imports/${fileImportId}/result`,
    headers: { authorization: `Bearer ${admin.token}` },
  });
  return { status: res.statusCode, headers: res.headers, rows: parseCsv(res.payload) };
}

const MAPPING = {
  email: "Email",
  firstName: "First Name",
  lastName: "Last Name",
  courseExternalId: "Course ID",
  courseTitle: "Course Title",
  status: "Status",
  completedAt: "Completed At",
  score: "Score",
  cost: "Cost",
  currency: "Currency",
};

beforeAll(async () => {
  t = await createTestApp({
    env: {
      INTEGRATION_FILE_LIMIT_BYTES: String(MAX_BYTES),
      INTEGRATION_FILE_MAX_ROWS: String(MAX_ROWS),
    },
  });
  const a = await makeOrganization(t, { name: "Files Org" });
  orgId = a.org.id;
  admin = a.people.admin;
  other = (await makeOrganization(t, { name: "Elsewhere Files" })).people.admin;
  for (const email of ["ann@files.example", "bob@files.example", "cy@files.example"]) {
    const user = await makeUser(t, { email });
    await addMember(t.system, orgId, {
      userId: user.id,
      roleKeys: ["learner"],
      departmentId: null,
    });
  }
  fileIntegration = await integration({
    name: "HR completions",
    code: "hr-files",
    lmsType: "file",
    method: "file-upload",
    authType: "none",
    dataFormat: "csv",
    ownerIds: [a.people.admin.user.id],
  });
  moodleIntegration = await integration({
    name: "Campus Moodle",
    code: "campus",
    lmsType: "moodle",
    method: "api",
    authType: "api-token",
    credentials: { token: "t" },
    baseUrl: "https://moodle.example.org",
  });
});
afterAll(async () => {
  await t?.close();
});

describe("uploading a file", () => {
  let csvImport: string;

  it("stores a CSV, answers its columns, first rows and a suggested mapping", async () => {
    const keys = t.storage.files.size;
    const res = await upload(fileIntegration, "completions.csv", "text/csv", Buffer.from(CSV));
    expect(res.status).toBe(201);
    csvImport = res.body.data.id;
    expect(res.body.data).toMatchObject({
      integrationId: fileIntegration,
      fileName: "completions.csv",
      format: "csv",
      origin: "upload",
      status: "awaiting-mapping",
      rowCount: 7,
      mapping: null,
      runId: null,
      run: null,
      resultAvailable: false,
      columns: [
        "Email",
        "First Name",
        "Last Name",
        "Course ID",
        "Course Title",
        "Status",
        "Completed At",
        "Score",
        "Cost",
        "Currency",
      ],
      suggestedMapping: MAPPING,
    });
    expect(res.body.data.sampleRows).toHaveLength(5);
    expect(res.body.data.sampleRows[1]).toEqual([
      "bob@files.example",
      "Bob",
      "Ray",
      "SAFE-1",
      "Safety basics",
      "in progress",
      null,
      null,
      null,
      null,
    ]);
    expect(t.storage.files.size).toBe(keys + 1);
    const stored = await t.system.db
      .selectFrom("integration_file_imports")
      .selectAll()
      .where("id", "=", csvImport)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      organization_id: orgId,
      size_bytes: Buffer.byteLength(CSV),
      status: "awaiting-mapping",
    });
    expect((await t.storage.get(stored.storage_key))?.toString()).toBe(CSV);
    const audited = await t.system.db
      .selectFrom("audit_logs")
      .select(["action", "after"])
      .where("entity_id", "=", fileIntegration)
      .where("action", "=", "integration.file-import-created")
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]?.after).toMatchObject({ fileImportId: csvImport, rows: 7, format: "csv" });
  });

  it("refuses a mapping that misses a field or names a column the file lacks, naming the field", async () => {
    const url = `/api/v1/integration-file-imports/${csvImport}/mapping`;
    const { email: _, ...noEmail } = MAPPING;
    const missing = await t.http.put(url, { mapping: noEmail }, admin);
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: "VALIDATION_ERROR", field: "mapping.email" });
    const unknownColumn = await t.http.put(
      url,
      { mapping: { ...MAPPING, score: "Points" } },
      admin,
    );
    expect(unknownColumn.status).toBe(400);
    expect(unknownColumn.body.error.field).toBe("mapping.score");
    expect(unknownColumn.body.error.message).toContain('"Points"');
    const unknownField = await t.http.put(
      url,
      { mapping: { ...MAPPING, shoeSize: "Score" } },
      admin,
    );
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.field).toBe("mapping.shoeSize");
    const { courseExternalId: __, ...noCourse } = MAPPING;
    const course = await t.http.put(url, { mapping: noCourse }, admin);
    expect(course.body.error.field).toBe("mapping.courseExternalId");
    const row = await t.system.db
      .selectFrom("integration_file_imports")
      .select(["column_mapping", "run_id"])
      .where("id", "=", csvImport)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ column_mapping: null, run_id: null });
  });

  it("a dry run reports what the file would do and stores nothing", async () => {
    const res = await t.http.put(
      `/api/v1/integration-file-imports/${csvImport}/mapping`,
      { mapping: MAPPING, dryRun: true },
      admin,
    );
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ status: "queued", mapping: MAPPING });
    expect(res.body.data.runId).toEqual(expect.any(String));
    const runRow = await t.system.db
      .selectFrom("integration_sync_runs")
      .select(["trigger", "dry_run", "source"])
      .where("id", "=", res.body.data.runId)
      .executeTakeFirstOrThrow();
    expect(runRow).toMatchObject({
      trigger: "upload",
      dry_run: true,
      source: { kind: "file", fileImportId: csvImport },
    });
    expect((await result(csvImport)).status).toBe(409);
    await work();
    const after = await t.http.get(`/api/v1/integration-file-imports/${csvImport}`, admin);
    expect(after.body.data).toMatchObject({
      status: "done",
      resultAvailable: true,
      run: { status: "partial", dryRun: true, counts: { created: 5, skipped: 1, failed: 2 } },
    });
    const courses = await t.system.db
      .selectFrom("courses")
      .select("id")
      .where("integration_id", "=", fileIntegration)
      .execute();
    expect(courses).toEqual([]);
    const enrollments = await t.system.db
      .selectFrom("enrollments")
      .select("id")
      .where("integration_id", "=", fileIntegration)
      .execute();
    expect(enrollments).toEqual([]);
    const letters = await t.system.db
      .selectFrom("integration_dead_letters")
      .select("id")
      .where("integration_id", "=", fileIntegration)
      .execute();
    expect(letters).toEqual([]);
    const file = await result(csvImport);
    expect(file.headers["content-disposition"]).toContain("completions-result-dry-run.csv");
    expect(file.rows.map((r) => r[4])).toEqual([
      "outcome",
      "created",
      "skipped",
      "skipped",
      "created",
      "failed",
      "failed",
      "created",
    ]);
  });

  it("a run mirrors the courses, stores members' enrollments with their events, skips strangers", async () => {
    const res = await t.http.put(
      `/api/v1/integration-file-imports/${csvImport}/mapping`,
      { mapping: MAPPING },
      admin,
    );
    expect(res.status).toBe(202);
    await work();
    const done = await t.http.get(`/api/v1/integration-file-imports/${csvImport}`, admin);
    expect(done.body.data).toMatchObject({
      status: "done",
      run: { status: "partial", dryRun: false, counts: { created: 5, skipped: 1, failed: 2 } },
    });
    const courses = await t.system.db
      .selectFrom("courses")
      .select(["external_id", "title"])
      .where("integration_id", "=", fileIntegration)
      .orderBy("external_id")
      .execute();
    expect(courses).toEqual([
      { external_id: "GDPR-2", title: "Data protection" },
      { external_id: "SAFE-1", title: "Safety basics" },
    ]);
    const enrollments = await t.system.db
      .selectFrom("enrollments as e")
      .innerJoin("users as u", "u.id", "e.user_id")
      .select([
        "u.email",
        "e.external_id",
        "e.external_status",
        "e.score",
        "e.amount",
        "e.currency",
        "e.completed_at",
      ])
      .where("e.integration_id", "=", fileIntegration)
      .orderBy("e.external_id")
      .execute();
    expect(
      enrollments.map((e) => ({
        ...e,
        score: e.score === null ? null : Number(e.score),
        amount: e.amount === null ? null : Number(e.amount),
        completed_at: e.completed_at ? new Date(e.completed_at).toISOString() : null,
      })),
    ).toEqual([
      {
        email: "ann@files.example",
        external_id: "GDPR-2:ann@files.example",
        external_status: "completed",
        score: 77.5,
        amount: null,
        currency: null,
        completed_at: "2026-02-01T09:30:00.000Z",
      },
      {
        email: "ann@files.example",
        external_id: "SAFE-1:ann@files.example",
        external_status: "completed",
        score: 91,
        amount: 4990,
        currency: "EUR",
        completed_at: "2026-03-02T00:00:00.000Z",
      },
      {
        email: "bob@files.example",
        external_id: "SAFE-1:bob@files.example",
        external_status: "completed",
        score: null,
        amount: null,
        currency: null,
        completed_at: "2026-03-05T00:00:00.000Z",
      },
    ]);
    const events = await t.system.db
      .selectFrom("learning_events as l")
      .innerJoin("enrollments as e", "e.id", "l.enrollment_id")
      .select("l.event_type")
      .where("e.external_id", "=", "SAFE-1:ann@files.example")
      .where("e.integration_id", "=", fileIntegration)
      .orderBy("l.event_type")
      .execute();
    expect(events.map((e) => e.event_type)).toContain("enrollment-completed");
    const strangers = await t.system.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", "stranger@elsewhere.example")
      .execute();
    expect(strangers).toEqual([]);
    const audited = await t.system.db
      .selectFrom("audit_logs")
      .select("after")
      .where("action", "=", "integration.file-import-mapped")
      .where("entity_id", "=", fileIntegration)
      .execute();
    expect(audited.map((a) => (a.after as { dryRun: boolean }).dryRun)).toEqual([true, false]);
  });

  it("the result file says what became of each row, line by line", async () => {
    const file = await result(csvImport);
    expect(file.status).toBe(200);
    expect(file.headers["content-type"]).toContain("text/csv");
    expect(file.headers["content-disposition"]).toContain(
      'attachment; filename="completions-result.csv"',
    );
    expect(file.rows).toEqual([
      ["line", "email", "course", "external_id", "outcome", "reason"],
      ["2", "ann@files.example", "SAFE-1", "SAFE-1:ann@files.example", "created", ""],
      [
        "3",
        "bob@files.example",
        "SAFE-1",
        "SAFE-1:bob@files.example",
        "skipped",
        "Line 8 holds the same enrollment; that row is the one imported",
      ],
      [
        "4",
        "stranger@elsewhere.example",
        "SAFE-1",
        "SAFE-1:stranger@elsewhere.example",
        "skipped",
        "No member of the organization has the email stranger@elsewhere.example",
      ],
      ["5", "ann@files.example", "GDPR-2", "GDPR-2:ann@files.example", "created", ""],
      [
        "6",
        "bob@files.example",
        "GDPR-2",
        "GDPR-2:bob@files.example",
        "failed",
        'Line 6: Status: the status "sleeping" is not known (use one of not-started, in-progress, completed, failed, dropped, on-hold, expired, certified)',
      ],
      [
        "7",
        "cy@files.example",
        "GDPR-2",
        "GDPR-2:cy@files.example",
        "failed",
        'Line 7: Completed At: "31/02/2026" is not a date (write it as 2026-03-31 or ISO 8601)',
      ],
      ["8", "bob@files.example", "SAFE-1", "SAFE-1:bob@files.example", "created", ""],
    ]);
    const stored = await t.system.db
      .selectFrom("integration_file_imports")
      .select(["result_key", "status"])
      .where("id", "=", csvImport)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe("done");
    expect(stored.result_key).toBeTruthy();
    expect((await t.storage.get(stored.result_key as string))?.toString()).toContain("sleeping");
    const again = await t.http.put(
      `/api/v1/integration-file-imports/${csvImport}/mapping`,
      { mapping: MAPPING },
      admin,
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("CONFLICT");
  });

  it("reads an XLSX's first worksheet with its dates and numbers, and reuses the saved mapping", async () => {
    const bytes = await xlsx([
      [
        "Email",
        "First Name",
        "Last Name",
        "Course ID",
        "Course Title",
        "Status",
        "Completed At",
        "Score",
        "Cost",
        "Currency",
      ],
      [
        "bob@files.example",
        "Bob",
        "Ray",
        "SAFE-1",
        "Safety basics",
        "Completed",
        new Date("2026-04-05T00:00:00Z"),
        88,
        null,
        null,
      ],
      [
        "ann@files.example",
        "Ann",
        "Lee",
        "XL-3",
        "Spreadsheets",
        "Not started",
        null,
        null,
        12,
        "JPY",
      ],
    ]);
    const res = await upload(
      fileIntegration,
      "more.xlsx",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      bytes,
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ format: "xlsx", rowCount: 2, suggestedMapping: MAPPING });
    expect(res.body.data.sampleRows[0][6]).toBe("2026-04-05T00:00:00.000Z");
    expect(res.body.data.sampleRows[0][7]).toBe("88");
    const run = await t.http.put(
      `/api/v1/integration-file-imports/${res.body.data.id}/mapping`,
      { mapping: res.body.data.suggestedMapping },
      admin,
    );
    expect(run.status).toBe(202);
    await work();
    const done = await t.http.get(`/api/v1/integration-file-imports/${res.body.data.id}`, admin);
    expect(done.body.data.run).toMatchObject({
      status: "succeeded",
      counts: { created: 2, updated: 1, failed: 0 },
    });
    const bob = await t.system.db
      .selectFrom("enrollments")
      .select(["external_status", "score", "completed_at"])
      .where("integration_id", "=", fileIntegration)
      .where("external_id", "=", "SAFE-1:bob@files.example")
      .executeTakeFirstOrThrow();
    expect({ ...bob, score: Number(bob.score) }).toEqual({
      external_status: "completed",
      score: 88,
      completed_at: new Date("2026-04-05T00:00:00Z"),
    });
    const ann = await t.system.db
      .selectFrom("enrollments")
      .select(["amount", "currency", "external_status"])
      .where("integration_id", "=", fileIntegration)
      .where("external_id", "=", "XL-3:ann@files.example")
      .executeTakeFirstOrThrow();
    expect({ ...ann, amount: Number(ann.amount) }).toEqual({
      amount: 12,
      currency: "JPY",
      external_status: "not-started",
    });
    const file = await result(res.body.data.id);
    expect(file.rows.slice(1).map((r) => [r[0], r[4]])).toEqual([
      ["2", "updated"],
      ["3", "created"],
    ]);
    const list = await t.http.get(
      `/api/v1/lms-integrations/${fileIntegration}/file-imports`,
      admin,
    );
    expect(list.status).toBe(200);
    expect(list.body.meta.pagination.total).toBe(2);
    expect(list.body.data.map((f: { fileName: string }) => f.fileName)).toEqual([
      "more.xlsx",
      "completions.csv",
    ]);
  });
});

describe("what is refused", () => {
  it("files over the size limit, and nothing is stored", async () => {
    const before = t.storage.files.size;
    const big = Buffer.from(`${CSV}\r\n${"x".repeat(MAX_BYTES)}`);
    const res = await upload(fileIntegration, "big.csv", "text/csv", big);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", field: "file" });
    expect(t.storage.files.size).toBe(before);
  });

  it("files over the row limit", async () => {
    const rows = Array.from({ length: MAX_ROWS + 1 }, (_, i) => `p${i}@files.example,C1,Course`);
    const res = await upload(
      fileIntegration,
      "many.csv",
      "text/csv",
      Buffer.from(["email,course_id,course_title", ...rows].join("\n")),
    );
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: "INVALID_FILE",
      details: { rows: MAX_ROWS + 1, maxRows: MAX_ROWS },
    });
  });

  it("what is not a CSV or XLSX, and files without a header", async () => {
    const pdf = await upload(
      fileIntegration,
      "a.pdf",
      "application/pdf",
      Buffer.from("%PDF-1.7\n"),
    );
    expect(pdf.status).toBe(415);
    expect(pdf.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const blank = await upload(fileIntegration, "blank.csv", "text/csv", Buffer.from("\r\n\r\n"));
    expect(blank.status).toBe(422);
    expect(blank.body.error.code).toBe("INVALID_FILE");
  });

  it("integrations of another type", async () => {
    const res = await upload(moodleIntegration, "c.csv", "text/csv", Buffer.from(CSV));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: "UNPROCESSABLE" });
    expect(res.body.error.message).toContain("type file");
  });

  it("another organization's administrator sees none of it", async () => {
    const mine = await upload(fileIntegration, "mine.csv", "text/csv", Buffer.from(CSV));
    expect(mine.status).toBe(201);
    const id = mine.body.data.id;
    const up = await upload(fileIntegration, "theirs.csv", "text/csv", Buffer.from(CSV), other);
    expect(up.status).toBe(404);
    for (const url of [
      `/api/v1/integration-file-imports/${id}`,
      `/api/v1/integration-file-imports/${id}/result`,
      `/api/v1/lms-integrations/${fileIntegration}/file-imports`,
    ]) {
      const res = await t.http.get(url, other);
      expect(res.status).toBe(404);
    }
    const map = await t.http.put(
      `/api/v1/integration-file-imports/${id}/mapping`,
      { mapping: MAPPING },
      other,
    );
    expect(map.status).toBe(404);
    const row = await t.system.db
      .selectFrom("integration_file_imports")
      .select(["run_id", "column_mapping"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ run_id: null, column_mapping: null });
  });
});

describe("the suggested mapping", () => {
  it("matches header names without regard to case, spaces or underscores", () => {
    expect(
      suggestMapping(
        ["E-Mail Address", "course_id", "COURSE NAME", "Due Date", "progress %"],
        null,
      ),
    ).toEqual({
      email: "E-Mail Address",
      courseExternalId: "course_id",
      courseTitle: "COURSE NAME",
      dueAt: "Due Date",
    });
  });

  it("prefers the saved mapping when the file has all its columns", () => {
    expect(suggestMapping(["A", "B", "C"], { email: "A", courseTitle: "C" })).toEqual({
      email: "A",
      courseTitle: "C",
    });
    expect(suggestMapping(["email", "B"], { email: "A" })).toEqual({ email: "email" });
  });
});
