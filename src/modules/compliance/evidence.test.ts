import { createRequire } from "node:module";
import path from "node:path";
import JSZip from "jszip";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, publishedCourse, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { parseCsv } from "../../platform/csv.js";
import { updateMember } from "../organizations/members.js";
import { addMember } from "../organizations/service.js";
import { createDepartment } from "../organizations/structure.js";
import { processNextReportJob } from "../reports/runner.js";
import { evaluateCompliance } from "./evaluate.js";
import { ASSIGNMENT_HEADER, collectEvidence, EXEMPTION_HEADER } from "./evidence.js";

const fonts = `${path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;

async function pdfText(bytes: Buffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: fonts })
    .promise;
  const parts: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    parts.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  return parts.join("\n");
}

let t: TestApp;
let a: Awaited<ReturnType<typeof makeOrganization>>;
let b: Awaited<ReturnType<typeof makeOrganization>>;
let requirementId: string;
let packId: string;
const api = "/api/v1";
const people: Record<string, { id: string; email: string }> = {};

async function officer() {
  return signIn(t, a.people.officer!.user.email);
}

async function assignmentOf(userId: string) {
  return t.system.db
    .selectFrom("compliance_assignments")
    .selectAll()
    .where("user_id", "=", userId)
    .where("requirement_id", "=", requirementId)
    .executeTakeFirstOrThrow();
}

async function download(url: string, token?: string) {
  const res = await t.lyceum.app.inject({
    method: "GET",
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload };
}

beforeAll(async () => {
  // 2026-03-02 09:00 UTC
  t = await createTestApp();
  a = await makeOrganization(t, {
    name: "Audited Org",
    people: [
      { key: "officer", roles: ["learner", "compliance-officer"] },
      { key: "learner", roles: ["learner"] },
    ],
  });
  b = await makeOrganization(t, {
    name: "Other Org",
    people: [{ key: "officer", roles: ["learner", "compliance-officer"] }],
  });
  const sales = await createDepartment(t.system, a.org.id, { name: "Sales" });
  const course = await publishedCourse(t, {
    code: "AML-1",
    title: "Anti money laundering",
    instructorId: a.people.admin.user.id,
    organizationId: a.org.id,
  });
  for (const name of ["Ada", "Bo", "Cy", "Di"]) {
    const user = await makeUser(t, { firstName: name, lastName: "Person" });
    await addMember(t.system, a.org.id, {
      userId: user.id,
      roleKeys: ["learner"],
      departmentId: sales.id,
    });
    await updateMember(t.system, a.org.id, user.id, { hireDate: "2026-03-01" });
    people[name] = { id: user.id, email: user.email };
  }
  const as = await officer();
  const created = await t.http.post(
    `${api}/organizations/${a.org.id}/compliance/requirements`,
    {
      name: "Anti money laundering 2026",
      code: "AML-2026",
      jurisdiction: "EU",
      complianceType: "industry-standards",
      courseId: course.id,
      dueDays: 30,
    },
    as,
  );
  expect(created.status).toBe(201);
  requirementId = created.body.data.id;
  const rule = await t.http.post(
    `${api}/compliance-requirements/${requirementId}/rules`,
    { scope: "department", departmentId: sales.id, trigger: "hire-date" },
    as,
  );
  expect(rule.status).toBe(201);
  expect((await evaluateCompliance(t.system, a.org.id)).assigned).toBe(4);
  const exempted = await t.http.post(
    `${api}/organizations/${a.org.id}/compliance/exemptions`,
    { requirementId, userId: people.Di!.id, reason: "Certified by the regulator directly" },
    as,
  );
  expect(exempted.status).toBe(201);
  // Ada completes in time (due 2026-03-31), with a score; Bo after the due date; Cy never.
  t.clock.set("2026-03-20T10:00:00Z");
  const ada = await assignmentOf(people.Ada!.id);
  await t.system.db
    .updateTable("enrollments")
    .set({ score: 92 })
    .where("id", "=", ada.enrollment_id as string)
    .execute();
  expect(
    (
      await t.http.post(
        `${api}/enrollments/${ada.enrollment_id}/complete`,
        {},
        await signIn(t, a.people.admin.user.email),
      )
    ).status,
  ).toBe(200);
  t.clock.set("2026-04-05T10:00:00Z");
  const bo = await assignmentOf(people.Bo!.id);
  expect(
    (
      await t.http.post(
        `${api}/enrollments/${bo.enrollment_id}/complete`,
        {},
        await signIn(t, a.people.admin.user.email),
      )
    ).status,
  ).toBe(200);
  t.clock.set("2026-04-10T08:00:00Z");
}, 300_000);

afterAll(async () => {
  await t?.close();
});

describe("the auditor's evidence pack", () => {
  it("is queued as a report job (202), audited; a learner may not ask for one", async () => {
    const url = `${api}/organizations/${a.org.id}/compliance/requirements/${requirementId}/evidence-packs`;
    const learner = await signIn(t, a.people.learner!.user.email);
    expect((await t.http.post(url, { from: "2026-03-01", to: "2026-03-31" }, learner)).status).toBe(
      403,
    );
    const backwards = await t.http.post(
      url,
      { from: "2026-03-31", to: "2026-03-01" },
      await officer(),
    );
    expect(backwards.status).toBe(400);
    const res = await t.http.post(url, { from: "2026-03-01", to: "2026-03-31" }, await officer());
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({
      requirementId,
      from: "2026-03-01",
      to: "2026-03-31",
      status: "queued",
      file: null,
      createdBy: a.people.officer!.user.id,
    });
    packId = res.body.data.id;
    const job = await t.system.db
      .selectFrom("report_jobs")
      .select(["report_type", "output_format", "organization_id"])
      .where("id", "=", packId)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({
      report_type: "compliance-evidence-pack",
      output_format: "zip",
      organization_id: a.org.id,
    });
    const audits = await t.system.db
      .selectFrom("audit_logs")
      .select(["action", "entity_id", "actor_user_id"])
      .where("action", "=", "compliance-evidence-pack.request")
      .execute();
    expect(audits).toEqual([
      {
        action: "compliance-evidence-pack.request",
        entity_id: packId,
        actor_user_id: a.people.officer!.user.id,
      },
    ]);
  });

  it("is made by the report runner into a ZIP of the PDF summary, the CSV detail and a manifest", async () => {
    const done = await processNextReportJob(t.lyceum.services, "evidence-worker");
    expect(done).toMatchObject({ id: packId, status: "ready", row_count: 4 });
    // The pack names four people to the officer who asked for it: the access log says so.
    const logged = await t.system.db
      .selectFrom("privacy_access_logs")
      .select(["subject_user_id", "viewer_user_id", "detail"])
      .where("what", "=", "evidence-pack")
      .execute();
    expect(logged.map((l) => l.subject_user_id).sort()).toEqual(
      [people.Ada!.id, people.Bo!.id, people.Cy!.id, people.Di!.id].sort(),
    );
    expect(
      logged.every(
        (l) =>
          l.viewer_user_id === a.people.officer!.user.id &&
          l.detail === "AML-2026 (2026-03-01 to 2026-03-31)",
      ),
    ).toBe(true);
    const as = await officer();
    const shown = await t.http.get(
      `${api}/organizations/${a.org.id}/compliance/evidence-packs/${packId}`,
      as,
    );
    expect(shown.status).toBe(200);
    expect(shown.body.data).toMatchObject({ status: "ready", progress: 100 });
    expect(shown.body.data.file).toMatchObject({ rows: 4, downloads: 0 });
    const list = await t.http.get(
      `${api}/organizations/${a.org.id}/compliance/evidence-packs?requirementId=${requirementId}`,
      as,
    );
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([packId]);

    const file = await download(
      `${api}/organizations/${a.org.id}/compliance/evidence-packs/${packId}/file`,
      as.token,
    );
    expect(file.status).toBe(200);
    expect(file.headers["content-type"]).toBe("application/zip");
    expect(file.headers["content-disposition"]).toMatch(/attachment; filename=".+\.zip"/);
    const zip = await JSZip.loadAsync(file.bytes);
    expect(Object.keys(zip.files).sort()).toEqual([
      "assignments.csv",
      "exemptions.csv",
      "manifest.json",
      "summary.pdf",
    ]);

    const assignments = parseCsv(await zip.file("assignments.csv")!.async("string"));
    expect(assignments[0]).toEqual(ASSIGNMENT_HEADER);
    const byPerson = new Map(assignments.slice(1).map((r) => [r[0], r]));
    const cert = async (userId: string) =>
      t.system.db
        .selectFrom("certificates")
        .select(["id", "certificate_number"])
        .where("user_id", "=", userId)
        .executeTakeFirstOrThrow();
    const adaCert = await cert(people.Ada!.id);
    const boCert = await cert(people.Bo!.id);
    expect(byPerson.get("Ada Person")).toEqual([
      "Ada Person",
      people.Ada!.email,
      "Sales",
      "1",
      "2026-03-02T09:00:00.000Z",
      "2026-03-31T00:00:00.000Z",
      "2026-03-20T10:00:00.000Z",
      "92",
      adaCert.id,
      adaCert.certificate_number,
      "completed-in-time",
    ]);
    expect(byPerson.get("Bo Person")).toEqual([
      "Bo Person",
      people.Bo!.email,
      "Sales",
      "1",
      "2026-03-02T09:00:00.000Z",
      "2026-03-31T00:00:00.000Z",
      "2026-04-05T10:00:00.000Z",
      "",
      boCert.id,
      boCert.certificate_number,
      "completed-late",
    ]);
    expect(byPerson.get("Cy Person")?.slice(6)).toEqual(["", "", "", "", "overdue"]);
    expect(byPerson.get("Di Person")?.slice(6)).toEqual(["", "", "", "", "exempt"]);
    expect(assignments).toHaveLength(5);

    const exemptions = parseCsv(await zip.file("exemptions.csv")!.async("string"));
    expect(exemptions).toEqual([
      EXEMPTION_HEADER,
      [
        "Di Person",
        people.Di!.email,
        "Certified by the regulator directly",
        `${a.people.officer!.user.first_name} ${a.people.officer!.user.last_name}`,
        "2026-03-02T09:00:00.000Z",
        "",
        "",
        "",
      ],
    ]);

    const manifest = JSON.parse(await zip.file("manifest.json")!.async("string"));
    expect(manifest).toMatchObject({
      kind: "compliance-evidence-pack",
      jobId: packId,
      organizationId: a.org.id,
      requirement: { id: requirementId, name: "Anti money laundering 2026", code: "AML-2026" },
      period: { from: "2026-03-01", to: "2026-03-31" },
      generatedAt: "2026-04-10T08:00:00.000Z",
      generatedBy: { id: a.people.officer!.user.id, email: a.people.officer!.user.email },
      counts: {
        required: 4,
        "completed-in-time": 1,
        "completed-late": 1,
        overdue: 1,
        exempt: 1,
        open: 0,
        "out-of-scope": 0,
      },
      score: 33.3,
    });
    const { createHash } = await import("node:crypto");
    for (const name of ["summary.pdf", "assignments.csv", "exemptions.csv"]) {
      const body = await zip.file(name)!.async("nodebuffer");
      const entry = manifest.files.find((f: { name: string }) => f.name === name);
      expect(entry).toEqual({
        name,
        bytes: body.length,
        sha256: createHash("sha256").update(body).digest("hex"),
      });
    }

    const pdf = await zip.file("summary.pdf")!.async("nodebuffer");
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = await pdfText(pdf);
    expect(text).toContain("Evidence pack: Anti money laundering 2026");
    expect(text).toContain("Completed late");
    expect(text).toContain("33.3 % completed in time");

    const stored = await t.system.db
      .selectFrom("report_jobs")
      .select(["download_count", "file_checksum"])
      .where("id", "=", packId)
      .executeTakeFirstOrThrow();
    expect(stored.download_count).toBe(1);
    expect(stored.file_checksum).toBe(createHash("sha256").update(file.bytes).digest("hex"));
    const audits = await t.system.db
      .selectFrom("audit_logs")
      .select(["entity_id", "actor_user_id"])
      .where("action", "=", "compliance-evidence-pack.download")
      .execute();
    expect(audits).toEqual([{ entity_id: packId, actor_user_id: a.people.officer!.user.id }]);
  });

  it("another organization cannot read or download it; nor can a learner of its own", async () => {
    const other = await signIn(t, b.people.officer!.user.email);
    const base = `${api}/organizations/${a.org.id}/compliance/evidence-packs/${packId}`;
    expect((await t.http.get(base, other)).status).toBe(403);
    expect((await download(`${base}/file`, other.token)).status).toBe(403);
    const own = `${api}/organizations/${b.org.id}/compliance/evidence-packs/${packId}`;
    expect((await t.http.get(own, other)).status).toBe(404);
    expect((await download(`${own}/file`, other.token)).status).toBe(404);
    const list = await t.http.get(
      `${api}/organizations/${b.org.id}/compliance/evidence-packs`,
      other,
    );
    expect(list.body.data).toEqual([]);
    const learner = await signIn(t, a.people.learner!.user.email);
    expect((await download(`${base}/file`, learner.token)).status).toBe(403);
    expect((await t.http.post(`${api}/report-jobs/${packId}/download-url`, {}, other)).status).toBe(
      404,
    );
    const downloads = await t.system.db
      .selectFrom("audit_logs")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("action", "=", "compliance-evidence-pack.download")
      .executeTakeFirstOrThrow();
    expect(Number(downloads.n)).toBe(1);
  });

  it("cannot be queued through the generic report job route", async () => {
    const res = await t.http.post(
      `${api}/organizations/${a.org.id}/report-jobs`,
      {
        name: "Sneaky",
        reportType: "compliance-evidence-pack",
        outputFormat: "csv",
        definition: { measures: [{ id: "n", type: "count" }] },
      },
      await signIn(t, a.people.admin.user.email),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("reportType");
  });

  it("lists a person exempted in the period without an assignment, with their department", async () => {
    const ops = await createDepartment(t.system, a.org.id, { name: "Ops" });
    const ed = await makeUser(t, { firstName: "Ed", lastName: "Person" });
    await addMember(t.system, a.org.id, {
      userId: ed.id,
      roleKeys: ["learner"],
      departmentId: ops.id,
    });
    const exempted = await t.http.post(
      `${api}/organizations/${a.org.id}/compliance/exemptions`,
      { requirementId, userId: ed.id, reason: "Works offshore" },
      await officer(),
    );
    expect(exempted.status).toBe(201);
    const { assignments, exemptions } = await collectEvidence(t.system, a.org.id, {
      requirementId,
      from: "2026-01-01",
      to: "2026-12-31",
    });
    expect(assignments.find((r) => r.userId === ed.id)).toMatchObject({
      department: "Ops",
      cycle: null,
      dueAt: null,
      status: "exempt",
    });
    expect(exemptions.find((x) => x.userId === ed.id)).toMatchObject({
      department: "Ops",
      reason: "Works offshore",
    });
  });
});
