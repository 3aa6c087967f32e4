import { createHash } from "node:crypto";
import JSZip from "jszip";
import { sql } from "kysely";
import { z } from "zod";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { toCsv } from "../../platform/csv.js";
import { AppError } from "../../platform/http/errors.js";
import { reportDefinition } from "../reports/definition.js";
import { openJobFile } from "../reports/jobs.js";
import { renderPdf } from "../reports/pdf.js";
import { type JobProducer, queueProducedJob } from "../reports/producers.js";
import type { ReportJobRow } from "../reports/schema.js";
import { assertOrganizationAccess, visibleRequirement } from "./requirements.js";
import type { RequirementRow } from "./schema.js";

/**
 * The auditor's evidence pack (issue 16 §1): for one requirement and period, a ZIP with a PDF
 * summary, the assignments and exemptions as CSV and a manifest with each file's SHA-256. It is
 * a report job of its own type: queued here, made by the report runner through
 * `evidencePackProducer` (registered in src/app.ts), stored and expired as every report file.
 *
 * The period is a range of calendar days (UTC), both ends included. An assignment belongs to
 * it when its due date falls in it; an exemption when it was in force on any day of it.
 */

export const EVIDENCE_PACK_REPORT = "compliance-evidence-pack";

export const evidenceParameters = z.object({
  requirementId: z.uuid(),
  from: z.iso.date(),
  to: z.iso.date(),
});
export type EvidenceParameters = z.infer<typeof evidenceParameters>;

/** How a row of assignments.csv stands for the period. */
export const EVIDENCE_STATUSES = [
  "completed-in-time",
  "completed-late",
  "overdue",
  "open",
  "exempt",
  "out-of-scope",
] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

/** The longest period one pack covers. */
const MAX_PERIOD_DAYS = 3_660;
const DAY_MS = 86_400_000;

function period(p: EvidenceParameters) {
  const start = new Date(`${p.from}T00:00:00.000Z`);
  const end = new Date(new Date(`${p.to}T00:00:00.000Z`).getTime() + DAY_MS);
  return { start, end };
}

function parse(parameters: unknown): EvidenceParameters {
  const p = evidenceParameters.safeParse(parameters);
  if (!p.success) throw new AppError("VALIDATION_ERROR", "The evidence pack's period is invalid");
  const { start, end } = period(p.data);
  if (end <= start)
    throw new AppError("VALIDATION_ERROR", "The period ends before it starts", { field: "to" });
  if (end.getTime() - start.getTime() > MAX_PERIOD_DAYS * DAY_MS)
    throw new AppError("VALIDATION_ERROR", "A pack covers at most ten years", { field: "to" });
  return p.data;
}

/** The requirement, when the actor may read the organization's compliance data. */
async function requirementOf(
  ctx: Ctx,
  organizationId: string,
  requirementId: string,
): Promise<RequirementRow> {
  const requirement = await visibleRequirement(ctx, requirementId);
  if (requirement.organization_id !== organizationId)
    throw new AppError("NOT_FOUND", "Compliance requirement not found");
  return requirement;
}

export interface AssignmentEvidence {
  userId: string;
  name: string;
  email: string;
  department: string | null;
  cycle: number | null;
  assignedAt: Date | null;
  dueAt: Date | null;
  completedAt: Date | null;
  score: number | null;
  certificateId: string | null;
  certificateNumber: string | null;
  status: EvidenceStatus;
}

export interface ExemptionEvidence {
  userId: string;
  name: string;
  email: string;
  department: string | null;
  reason: string;
  approvedBy: string | null;
  from: Date;
  until: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export type EvidenceCounts = Record<"required" | EvidenceStatus, number>;

const fullName = (first: string | null, last: string | null) =>
  [first, last].filter(Boolean).join(" ");
const asDate = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/**
 * What the pack says, read in two statements: the requirement's assignments due in the period
 * (with the person, department, score and certificate) and the exemptions in force in it.
 */
export async function collectEvidence(
  ctx: Ctx,
  organizationId: string,
  p: EvidenceParameters,
): Promise<{ assignments: AssignmentEvidence[]; exemptions: ExemptionEvidence[] }> {
  const { start, end } = period(p);
  const now = ctx.clock.now();
  const [assigned, exempted] = await Promise.all([
    ctx.db
      .selectFrom("compliance_assignments as a")
      .innerJoin("users as u", "u.id", "a.user_id")
      .leftJoin("organization_members as m", (j) =>
        j.onRef("m.user_id", "=", "a.user_id").onRef("m.organization_id", "=", "a.organization_id"),
      )
      .leftJoin("departments as d", "d.id", "m.department_id")
      .leftJoin("certificates as c", "c.id", "a.certificate_id")
      .leftJoin("enrollments as e", "e.id", "a.enrollment_id")
      .select([
        "a.user_id",
        "u.first_name",
        "u.last_name",
        "u.email",
        "d.name as department",
        "a.cycle",
        "a.assigned_at",
        "a.due_at",
        "a.completed_at",
        "a.status",
        "a.certificate_id",
        "c.certificate_number",
        sql<number | null>`coalesce(e.score, (
          select max(qa.score) from quiz_attempts qa
          where qa.enrollment_id = a.enrollment_id and qa.status = 'graded'))`.as("score"),
      ])
      .where("a.organization_id", "=", organizationId)
      .where("a.requirement_id", "=", p.requirementId)
      .where("a.due_at", ">=", start)
      .where("a.due_at", "<", end)
      .orderBy("u.last_name")
      .orderBy("u.first_name")
      .orderBy("a.user_id")
      .orderBy("a.cycle")
      .execute(),
    ctx.db
      .selectFrom("compliance_exemptions as x")
      .innerJoin("users as u", "u.id", "x.user_id")
      .leftJoin("organization_members as m", (j) =>
        j.onRef("m.user_id", "=", "x.user_id").onRef("m.organization_id", "=", "x.organization_id"),
      )
      .leftJoin("departments as d", "d.id", "m.department_id")
      .leftJoin("users as ap", "ap.id", "x.approved_by")
      .leftJoin("users as rv", "rv.id", "x.revoked_by")
      .select([
        "x.user_id",
        "u.first_name",
        "u.last_name",
        "u.email",
        "d.name as department",
        "x.reason",
        "ap.first_name as approver_first",
        "ap.last_name as approver_last",
        "x.created_at",
        "x.expires_at",
        "x.revoked_at",
        "rv.first_name as revoker_first",
        "rv.last_name as revoker_last",
      ])
      .where("x.organization_id", "=", organizationId)
      .where("x.requirement_id", "=", p.requirementId)
      .where("x.created_at", "<", end)
      .where((eb) => eb.or([eb("x.revoked_at", "is", null), eb("x.revoked_at", ">=", start)]))
      .where((eb) => eb.or([eb("x.expires_at", "is", null), eb("x.expires_at", ">=", start)]))
      .orderBy("u.last_name")
      .orderBy("u.first_name")
      .orderBy("x.user_id")
      .orderBy("x.created_at")
      .execute(),
  ]);
  const exemptions: ExemptionEvidence[] = exempted.map((x) => ({
    userId: x.user_id,
    name: fullName(x.first_name, x.last_name),
    email: x.email,
    department: x.department,
    reason: x.reason,
    approvedBy: fullName(x.approver_first, x.approver_last) || null,
    from: x.created_at,
    until: x.expires_at,
    revokedAt: x.revoked_at,
    revokedBy: fullName(x.revoker_first, x.revoker_last) || null,
  }));
  const exempt = new Set(exemptions.map((x) => x.userId));
  const assignments: AssignmentEvidence[] = assigned.map((a) => {
    const completedAt = asDate(a.completed_at);
    const dueAt = asDate(a.due_at) as Date;
    const status: EvidenceStatus = completedAt
      ? completedAt <= dueAt
        ? "completed-in-time"
        : "completed-late"
      : exempt.has(a.user_id)
        ? "exempt"
        : a.status === "out-of-scope"
          ? "out-of-scope"
          : dueAt <= now
            ? "overdue"
            : "open";
    return {
      userId: a.user_id,
      name: fullName(a.first_name, a.last_name),
      email: a.email,
      department: a.department,
      cycle: Number(a.cycle),
      assignedAt: asDate(a.assigned_at),
      dueAt,
      completedAt,
      score: a.score === null ? null : Number(a.score),
      certificateId: a.certificate_id,
      certificateNumber: a.certificate_number,
      status,
    };
  });
  // People exempted in the period without an assignment due in it are listed too: the
  // requirement applied to them, and the exemption is why they did not take it.
  const listed = new Set(assignments.map((a) => a.userId));
  for (const x of exemptions) {
    if (listed.has(x.userId)) continue;
    listed.add(x.userId);
    assignments.push({
      userId: x.userId,
      name: x.name,
      email: x.email,
      department: x.department,
      cycle: null,
      assignedAt: null,
      dueAt: null,
      completedAt: null,
      score: null,
      certificateId: null,
      certificateNumber: null,
      status: "exempt",
    });
  }
  return { assignments, exemptions };
}

/**
 * Counts per status. Required: every row but those out of scope. Score: completed in time as a
 * share of those required and not exempt (percent, 1 decimal); null when nobody is.
 */
export function countEvidence(assignments: AssignmentEvidence[]): {
  counts: EvidenceCounts;
  score: number | null;
} {
  const counts = Object.fromEntries(
    ["required", ...EVIDENCE_STATUSES].map((k) => [k, 0]),
  ) as EvidenceCounts;
  for (const a of assignments) {
    counts[a.status]++;
    if (a.status !== "out-of-scope") counts.required++;
  }
  const owed = counts.required - counts.exempt;
  const score = owed > 0 ? Math.round((counts["completed-in-time"] / owed) * 1000) / 10 : null;
  return { counts, score };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const ASSIGNMENT_HEADER = [
  "person",
  "email",
  "department",
  "cycle",
  "assigned_at",
  "due_at",
  "completed_at",
  "score",
  "certificate_id",
  "certificate_number",
  "status",
];
export const EXEMPTION_HEADER = [
  "person",
  "email",
  "reason",
  "approved_by",
  "from",
  "until",
  "revoked_at",
  "revoked_by",
];

async function summaryPdf(input: {
  requirement: RequirementRow;
  courseTitle: string;
  p: EvidenceParameters;
  counts: EvidenceCounts;
  score: number | null;
  generatedAt: Date;
  generatedBy: string;
}): Promise<Buffer> {
  const { requirement: r, counts } = input;
  const lines: Array<[string, string]> = [
    ["Requirement", r.name],
    ["Code", r.code ?? ""],
    ["Course", input.courseTitle],
    ["Compliance type", r.compliance_type],
    ["Jurisdiction", r.jurisdiction],
    ["Audit frequency", r.audit_frequency],
    ["Due", `${r.due_days} days after the trigger`],
    [
      "Recertification",
      r.recurrence_months ? `every ${r.recurrence_months} months` : "none (once)",
    ],
    ["Period", `${input.p.from} to ${input.p.to} (due dates, UTC)`],
    ["Generated by", input.generatedBy],
    ["Required", String(counts.required)],
    ["Completed in time", String(counts["completed-in-time"])],
    ["Completed late", String(counts["completed-late"])],
    ["Overdue", String(counts.overdue)],
    ["Not yet due", String(counts.open)],
    ["Exempt", String(counts.exempt)],
    ["Left the scope", String(counts["out-of-scope"])],
    [
      "Score",
      input.score === null ? "none (nobody owed it)" : `${input.score} % completed in time`,
    ],
  ];
  return renderPdf({
    name: `Evidence pack: ${r.name}`,
    columns: [
      { key: "item", label: "Item", kind: "dimension", type: "string" },
      { key: "value", label: "Value", kind: "dimension", type: "string" },
    ],
    rows: lines.map(([item, value]) => ({ values: { item, value }, total: false })),
    definition: reportDefinition.parse({ measures: [{ id: "n", type: "count" }] }),
    generatedAt: input.generatedAt,
  });
}

const sha256 = (body: Buffer) => createHash("sha256").update(body).digest("hex");

/** Builds the ZIP of a pack as the acting person (the job's author when the runner calls it). */
export async function buildEvidencePack(
  ctx: Ctx,
  organizationId: string,
  p: EvidenceParameters,
  jobId: string | null,
  step: (progress: number) => Promise<void> = async () => undefined,
): Promise<{ body: Buffer; rows: number }> {
  const requirement = await requirementOf(ctx, organizationId, p.requirementId);
  const generatedAt = ctx.clock.now();
  const [course, author] = await Promise.all([
    ctx.db
      .selectFrom("courses")
      .select("title")
      .where("id", "=", requirement.course_id)
      .executeTakeFirst(),
    ctx.actor.kind === "user"
      ? ctx.db
          .selectFrom("users")
          .select(["id", "first_name", "last_name", "email"])
          .where("id", "=", ctx.actor.userId)
          .executeTakeFirst()
      : undefined,
  ]);
  const { assignments, exemptions } = await collectEvidence(ctx, organizationId, p);
  // The access log: the pack names these people to the one who asked for it (docs/privacy.md).
  const people = [...new Set([...assignments, ...exemptions].map((row) => row.userId))];
  if (people.length)
    await ctx.events.emit(ctx, "personal-data.read", {
      organizationId,
      subjectUserIds: people,
      what: "evidence-pack",
      detail: `${requirement.code ?? requirement.name} (${p.from} to ${p.to})`,
    });
  await step(50);
  const { counts, score } = countEvidence(assignments);
  const generatedBy = author
    ? `${fullName(author.first_name, author.last_name)} <${author.email}>`
    : "system";
  const files: Array<[string, Buffer]> = [
    [
      "summary.pdf",
      await summaryPdf({
        requirement,
        courseTitle: course?.title ?? "",
        p,
        counts,
        score,
        generatedAt,
        generatedBy,
      }),
    ],
    [
      "assignments.csv",
      Buffer.from(
        toCsv(
          ASSIGNMENT_HEADER,
          assignments.map((a) => [
            a.name,
            a.email,
            a.department,
            a.cycle,
            iso(a.assignedAt),
            iso(a.dueAt),
            iso(a.completedAt),
            a.score,
            a.certificateId,
            a.certificateNumber,
            a.status,
          ]),
        ),
        "utf8",
      ),
    ],
    [
      "exemptions.csv",
      Buffer.from(
        toCsv(
          EXEMPTION_HEADER,
          exemptions.map((x) => [
            x.name,
            x.email,
            x.reason,
            x.approvedBy,
            iso(x.from),
            iso(x.until),
            iso(x.revokedAt),
            x.revokedBy,
          ]),
        ),
        "utf8",
      ),
    ],
  ];
  await step(75);
  const manifest = {
    kind: EVIDENCE_PACK_REPORT,
    jobId,
    organizationId,
    requirement: { id: requirement.id, name: requirement.name, code: requirement.code },
    period: { from: p.from, to: p.to },
    generatedAt: generatedAt.toISOString(),
    generatedBy: author
      ? {
          id: author.id,
          name: fullName(author.first_name, author.last_name),
          email: author.email,
        }
      : null,
    counts,
    score,
    files: files.map(([name, body]) => ({ name, bytes: body.length, sha256: sha256(body) })),
  };
  const zip = new JSZip();
  for (const [name, body] of files) zip.file(name, body, { date: generatedAt });
  zip.file("manifest.json", JSON.stringify(manifest, null, 2), { date: generatedAt });
  const body = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
  return { body, rows: assignments.length };
}

/** The report runner's producer of evidence packs (registered in src/app.ts). */
export const evidencePackProducer: JobProducer = {
  async authorize(ctx, organizationId, parameters) {
    await requirementOf(ctx, organizationId, parse(parameters).requirementId);
  },
  async produce(ctx, job, step) {
    const started = performance.now();
    const { body, rows } = await buildEvidencePack(
      ctx,
      job.organization_id,
      parse(job.definition),
      job.id,
      step,
    );
    return {
      body,
      rows,
      extension: "zip",
      contentType: "application/zip",
      metrics: { renderMs: Math.round((performance.now() - started) * 10) / 10 },
    };
  },
  async downloaded(ctx, job) {
    await auditDownload(ctx, job);
  },
};

async function auditDownload(ctx: Ctx, job: ReportJobRow) {
  await audit(ctx, {
    organizationId: job.organization_id,
    action: "compliance-evidence-pack.download",
    entityType: "report-job",
    entityId: job.id,
    after: { ...(job.definition as object), checksum: job.file_checksum },
    dataSensitivity: "pii",
    regulatoryImpact: "gdpr",
  });
}

/** Queues a pack for the requirement and period; audited. */
export async function requestEvidencePack(
  ctx: Ctx,
  organizationId: string,
  requirementId: string,
  input: { from: string; to: string },
): Promise<ReportJobRow> {
  const p = parse({ requirementId, ...input });
  const requirement = await requirementOf(ctx, organizationId, requirementId);
  return inTransaction(ctx, async (tx) => {
    const job = await queueProducedJob(tx, organizationId, {
      name: `Evidence ${requirement.code ?? requirement.name} ${p.from} to ${p.to}`.slice(0, 200),
      reportType: EVIDENCE_PACK_REPORT,
      parameters: p,
      outputFormat: "zip",
    });
    await audit(tx, {
      organizationId,
      action: "compliance-evidence-pack.request",
      entityType: "report-job",
      entityId: job.id,
      after: p,
    });
    return job;
  });
}

/** A pack of the organization, for people who may read its compliance data. */
export async function evidencePack(
  ctx: Ctx,
  organizationId: string,
  jobId: string,
): Promise<ReportJobRow> {
  await assertOrganizationAccess(ctx, organizationId, "compliance:read");
  const job = await ctx.db
    .selectFrom("report_jobs")
    .selectAll()
    .where("id", "=", jobId)
    .where("organization_id", "=", organizationId)
    .where("report_type", "=", EVIDENCE_PACK_REPORT)
    .executeTakeFirst();
  if (!job) throw new AppError("NOT_FOUND", "Evidence pack not found");
  return job;
}

/** The organization's packs, newest first (of one requirement, if named). */
export async function listEvidencePacks(
  ctx: Ctx,
  organizationId: string,
  query: { requirementId?: string; page: number; limit: number },
) {
  await assertOrganizationAccess(ctx, organizationId, "compliance:read");
  let q = ctx.db
    .selectFrom("report_jobs")
    .where("organization_id", "=", organizationId)
    .where("report_type", "=", EVIDENCE_PACK_REPORT);
  if (query.requirementId)
    q = q.where(sql<string>`definition->>'requirementId'`, "=", query.requirementId);
  const [total, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    q
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)
      .execute(),
  ]);
  return { rows, total: Number(total.n) };
}

/** A ready pack's file, for people who may read the organization's compliance data; audited. */
export async function downloadEvidencePack(ctx: Ctx, organizationId: string, jobId: string) {
  const job = await evidencePack(ctx, organizationId, jobId);
  if (job.status !== "ready")
    throw new AppError("CONFLICT", `The evidence pack is ${job.status}, not ready`, {
      details: { status: job.status },
    });
  const file = await openJobFile(ctx, job.id);
  await auditDownload(ctx, file.job);
  return file;
}
