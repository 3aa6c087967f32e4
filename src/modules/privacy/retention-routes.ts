import { z } from "zod";
import { done, envelope, isoDateTime, ok, okEmpty } from "../../platform/http/envelope.js";
import type { App } from "../../platform/http/server.js";
import { openArchiveFile } from "./archive-file.js";
import {
  ALLOWED_ACTIONS,
  deletePolicy,
  dryRun,
  legalHoldOf,
  listArchives,
  listPolicies,
  MINIMUM_DAYS,
  putPolicy,
  reviewPolicy,
  runRetention,
  setLegalHold,
} from "./retention.js";
import {
  RETENTION_ACTIONS,
  RETENTION_CATEGORIES,
  type RetentionArchiveRow,
  type RetentionPolicyRow,
} from "./schema.js";

const iso = isoDateTime;

const policySchema = z
  .object({
    id: z.uuid(),
    category: z.enum(RETENTION_CATEGORIES),
    action: z.enum(RETENTION_ACTIONS),
    retainDays: z.number().int(),
    reviewEveryDays: z.number().int(),
    nextReviewAt: iso(),
    reviewOverdue: z.boolean(),
    lastReviewedAt: iso().nullable(),
    lastReviewedBy: z.uuid().nullable(),
    enabled: z.boolean(),
    lastRunAt: iso().nullable(),
    updatedAt: iso(),
  })
  .meta({ id: "RetentionPolicy" });

function presentPolicy(p: RetentionPolicyRow, now: Date) {
  return {
    id: p.id,
    category: p.category,
    action: p.action,
    retainDays: p.retain_days,
    reviewEveryDays: p.review_every_days,
    nextReviewAt: p.next_review_at.toISOString(),
    reviewOverdue: p.next_review_at <= now,
    lastReviewedAt: p.last_reviewed_at?.toISOString() ?? null,
    lastReviewedBy: p.last_reviewed_by,
    enabled: p.enabled,
    lastRunAt: p.last_run_at?.toISOString() ?? null,
    updatedAt: p.updated_at.toISOString(),
  };
}

const archiveSchema = z
  .object({
    id: z.uuid(),
    category: z.string(),
    action: z.string(),
    rangeFrom: iso().nullable(),
    rangeTo: iso(),
    rows: z.number().int(),
    file: z.object({ size: z.number().int(), checksum: z.string() }).nullable(),
    createdAt: iso(),
  })
  .meta({ id: "RetentionArchive" });

function presentArchive(a: RetentionArchiveRow) {
  return {
    id: a.id,
    category: a.category,
    action: a.action,
    rangeFrom: a.range_from?.toISOString() ?? null,
    rangeTo: a.range_to.toISOString(),
    rows: a.row_count,
    file:
      a.file_key && a.file_size !== null && a.checksum
        ? { size: a.file_size, checksum: a.checksum }
        : null,
    createdAt: a.created_at.toISOString(),
  };
}

const orgParams = z.object({ organizationId: z.uuid() });

/** Retention policies, dry runs, runs, the archival log and the legal hold (docs/privacy.md). */
export async function retentionRoutes(app: App): Promise<void> {
  const tags = ["Privacy"];
  const access = { permission: "privacy:manage" } as const;

  app.get(
    "/api/v1/organizations/:organizationId/retention-policies",
    {
      config: { access },
      schema: {
        tags,
        summary: "The organization's retention policies, with what each category allows",
        params: orgParams,
        querystring: z.object({
          overdue: z
            .enum(["true", "false"])
            .optional()
            .describe("Only policies whose review is due"),
        }),
        response: {
          200: envelope(
            z.object({
              policies: z.array(policySchema),
              categories: z.array(
                z.object({
                  category: z.enum(RETENTION_CATEGORIES),
                  actions: z.array(z.enum(RETENTION_ACTIONS)),
                  minimumDays: z.number().int(),
                }),
              ),
              legalHoldUntil: iso().nullable(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const now = request.ctx.clock.now();
      const policies = (await listPolicies(request.ctx, request.params.organizationId))
        .map((p) => presentPolicy(p, now))
        .filter((p) => request.query.overdue !== "true" || p.reviewOverdue);
      const hold = await legalHoldOf(request.ctx, request.params.organizationId);
      return ok({
        policies,
        categories: RETENTION_CATEGORIES.map((category) => ({
          category,
          actions: [...ALLOWED_ACTIONS[category]],
          minimumDays: MINIMUM_DAYS[category],
        })),
        legalHoldUntil: hold?.toISOString() ?? null,
      });
    },
  );

  app.put(
    "/api/v1/organizations/:organizationId/retention-policies",
    {
      config: { access },
      schema: {
        tags,
        summary: "Set the retention policy of a data category",
        description:
          "Refused below the platform's minimum for the category (audit logs: 365 days) or with an action the category does not allow. Saving a policy counts as its review.",
        params: orgParams,
        body: z
          .object({
            category: z.enum(RETENTION_CATEGORIES),
            action: z.enum(RETENTION_ACTIONS),
            retainDays: z.number().int().min(1).max(36500),
            reviewEveryDays: z.number().int().min(1).max(3650).optional(),
            enabled: z.boolean().optional(),
          })
          .strict(),
        response: { 200: envelope(policySchema) },
      },
    },
    async (request) =>
      ok(
        presentPolicy(
          await putPolicy(
            request.ctx,
            request.params.organizationId,
            request.body.category,
            request.body,
          ),
          request.ctx.clock.now(),
        ),
      ),
  );

  app.delete(
    "/api/v1/organizations/:organizationId/retention-policies",
    {
      config: { access },
      schema: {
        tags,
        summary: "Remove a category's retention policy (its data is then kept)",
        params: orgParams,
        querystring: z.object({ category: z.enum(RETENTION_CATEGORIES) }),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deletePolicy(request.ctx, request.params.organizationId, request.query.category);
      return done();
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/retention-policies/review",
    {
      config: { access },
      schema: {
        tags,
        summary: "Record that a policy was reviewed and still holds",
        params: orgParams,
        body: z
          .object({
            category: z.enum(RETENTION_CATEGORIES),
            note: z.string().trim().max(2000).nullable(),
          })
          .strict(),
        response: { 200: envelope(policySchema) },
      },
    },
    async (request) =>
      ok(
        presentPolicy(
          await reviewPolicy(
            request.ctx,
            request.params.organizationId,
            request.body.category,
            request.body.note,
          ),
          request.ctx.clock.now(),
        ),
      ),
  );

  app.get(
    "/api/v1/organizations/:organizationId/retention/dry-run",
    {
      config: { access },
      schema: {
        tags,
        summary: "What a retention run would do now, per category",
        params: orgParams,
        response: {
          200: envelope(
            z.array(
              z.object({
                category: z.enum(RETENTION_CATEGORIES),
                action: z.enum(RETENTION_ACTIONS).nullable(),
                retainDays: z.number().int().nullable(),
                cutoff: iso().nullable(),
                affected: z.number().int(),
                held: z.boolean().describe("A legal hold stops the run"),
              }),
            ),
          ),
        },
      },
    },
    async (request) => ok(await dryRun(request.ctx, request.params.organizationId)),
  );

  app.post(
    "/api/v1/organizations/:organizationId/retention/run",
    {
      config: { access },
      schema: {
        tags,
        summary: "Apply the retention policies now (the daily job does it too)",
        params: orgParams,
        response: {
          200: envelope(
            z.array(
              z.object({
                category: z.enum(RETENTION_CATEGORIES),
                action: z.enum(RETENTION_ACTIONS),
                rows: z.number().int(),
                archiveId: z.uuid().nullable(),
                skipped: z.string().nullable(),
              }),
            ),
          ),
        },
      },
    },
    async (request) => ok(await runRetention(request.ctx, request.params.organizationId)),
  );

  app.get(
    "/api/v1/organizations/:organizationId/retention/archives",
    {
      config: { access },
      schema: {
        tags,
        summary: "The archival log: what each run archived, deleted or anonymized",
        params: orgParams,
        response: { 200: envelope(z.array(archiveSchema)) },
      },
    },
    async (request) =>
      ok((await listArchives(request.ctx, request.params.organizationId)).map(presentArchive)),
  );

  app.get(
    "/api/v1/organizations/:organizationId/retention/archives/:archiveId/file",
    {
      config: { access },
      schema: {
        tags,
        summary: "Download an archive file of the archival log (gzip JSONL)",
        description:
          "Streamed from the storage provider. Each download is audited and logged as a read of the data of the people the archive holds. A line without a file (a deletion, an anonymization) answers NOT_FOUND.",
        params: orgParams.extend({ archiveId: z.uuid() }),
        produces: ["application/gzip"],
      },
    },
    async (request, reply) => {
      const { archive, fileName, body } = await openArchiveFile(
        request.ctx,
        request.params.organizationId,
        request.params.archiveId,
      );
      if (archive.file_size !== null) reply.header("content-length", archive.file_size);
      return reply
        .header("content-disposition", `attachment; filename="${fileName}"`)
        .header("cache-control", "private, no-store")
        .type("application/gzip")
        .send(body);
    },
  );

  app.put(
    "/api/v1/organizations/:organizationId/legal-hold",
    {
      config: { access },
      schema: {
        tags,
        summary: "Set or clear a legal hold: while it lasts, retention deletes nothing",
        params: orgParams,
        body: z
          .object({
            until: iso().nullable(),
            reason: z.string().trim().max(2000).nullable().optional(),
          })
          .strict(),
        response: { 200: envelope(z.object({ legalHoldUntil: iso().nullable() })) },
      },
    },
    async (request) => {
      const until = await setLegalHold(
        request.ctx,
        request.params.organizationId,
        request.body.until ? new Date(request.body.until) : null,
        request.body.reason ?? null,
      );
      return ok({ legalHoldUntil: until?.toISOString() ?? null });
    },
  );
}
