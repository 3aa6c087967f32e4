import { z } from "zod";
import {
  done,
  envelope,
  isoDateTime,
  listEnvelope,
  ok,
  okEmpty,
  okList,
} from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import {
  type BankQuery,
  bankQuestion,
  createBankQuestion,
  deleteBankQuestion,
  EXPORT_FORMAT,
  exportBank,
  importBank,
  importQti,
  listBank,
  updateBankQuestion,
} from "./bank.js";
import { questionDefinition } from "./questions.js";
import type { BankQuestionRow } from "./schema.js";

const iso = isoDateTime;
const TYPES = [
  "multiple-choice",
  "multiple-select",
  "true-false",
  "short-answer",
  "fill-blank",
  "matching",
  "essay",
  "rating-scale",
] as const;

const bankSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid().nullable(),
    createdBy: z.uuid().nullable(),
    title: z.string(),
    category: z.string().nullable(),
    tags: z.array(z.string()),
    difficulty: z.enum(["easy", "medium", "hard"]).nullable(),
    type: z.enum(TYPES),
    question: z.record(z.string(), z.unknown()).describe("The question with its answer key"),
    usageCount: z.number().int(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "BankQuestion" });

function present(r: BankQuestionRow) {
  return {
    id: r.id,
    organizationId: r.organization_id,
    createdBy: r.created_by,
    title: r.title,
    category: r.category,
    tags: r.tags,
    difficulty: r.difficulty,
    type: r.question_type as (typeof TYPES)[number],
    question: r.definition as Record<string, unknown>,
    usageCount: r.usage_count,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const bankInput = z.object({
  title: z.string().trim().min(1).max(255),
  category: z.string().trim().min(1).max(100).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  difficulty: z.enum(["easy", "medium", "hard"]).nullable().optional(),
  question: questionDefinition,
});

const bankQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  type: z.enum(TYPES).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  difficulty: z.enum(["easy", "medium", "hard"]).optional(),
  search: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(["newest", "most-used", "title"]).default("newest"),
});

/** The question bank: organizations' shared banks and instructors' own (seed 002 question_bank). */
export async function assessmentRoutes(app: App): Promise<void> {
  const tags = ["Question bank"];

  app.get(
    "/api/v1/organizations/:organizationId/question-bank",
    {
      config: { access: { permission: "assessments:manage" } },
      schema: {
        tags,
        summary: "An organization's question bank",
        description: "Filter by type, category, tag, difficulty; search titles and question texts.",
        params: idParam("organizationId"),
        querystring: bankQuery,
        response: { 200: listEnvelope(bankSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listBank(
        request.ctx,
        request.params.organizationId,
        request.query as BankQuery,
      );
      return okList(rows.map(present), pagination);
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/question-bank",
    {
      config: { access: { permission: "assessments:manage" } },
      schema: {
        tags,
        summary: "Add a question to an organization's bank",
        params: idParam("organizationId"),
        body: bankInput,
        response: { 201: envelope(bankSchema) },
      },
    },
    async (request, reply) => {
      const row = await createBankQuestion(
        request.ctx,
        request.params.organizationId,
        request.body,
      );
      reply.code(201);
      return ok(present(row));
    },
  );

  app.get(
    "/api/v1/question-bank",
    {
      config: { access: { permission: "assessments:manage", apiKeys: false } },
      schema: {
        tags,
        summary: "My own question bank (questions outside any organization)",
        querystring: bankQuery,
        response: { 200: listEnvelope(bankSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listBank(request.ctx, null, request.query as BankQuery);
      return okList(rows.map(present), pagination);
    },
  );

  app.post(
    "/api/v1/question-bank",
    {
      config: { access: { permission: "assessments:manage", apiKeys: false } },
      schema: {
        tags,
        summary: "Add a question to my own bank",
        body: bankInput,
        response: { 201: envelope(bankSchema) },
      },
    },
    async (request, reply) => {
      const row = await createBankQuestion(request.ctx, null, request.body);
      reply.code(201);
      return ok(present(row));
    },
  );

  app.get(
    "/api/v1/question-bank/:questionId",
    {
      config: { access: { permission: "assessments:manage" } },
      schema: {
        tags,
        summary: "One bank question with its answer key",
        params: idParam("questionId"),
        response: { 200: envelope(bankSchema) },
      },
    },
    async (request) => ok(present(await bankQuestion(request.ctx, request.params.questionId))),
  );

  app.patch(
    "/api/v1/question-bank/:questionId",
    {
      config: { access: { permission: "assessments:manage" } },
      schema: {
        tags,
        summary: "Change a bank question (its author, or an organization-wide manager)",
        params: idParam("questionId"),
        body: bankInput.partial().strict(),
        response: { 200: envelope(bankSchema) },
      },
    },
    async (request) =>
      ok(present(await updateBankQuestion(request.ctx, request.params.questionId, request.body))),
  );

  app.delete(
    "/api/v1/question-bank/:questionId",
    {
      config: { access: { permission: "assessments:manage" } },
      schema: {
        tags,
        summary: "Delete a bank question",
        params: idParam("questionId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteBankQuestion(request.ctx, request.params.questionId);
      return done();
    },
  );

  const exchange = z.object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(1),
    exportedAt: iso().optional(),
    questions: z.array(z.unknown()).min(1).max(1000),
  });

  app.get(
    "/api/v1/organizations/:organizationId/question-bank/export",
    {
      config: { access: { permission: "assessments:manage" } },
      schema: {
        tags,
        summary: "Export the bank as JSON (the format import reads)",
        params: idParam("organizationId"),
        response: { 200: envelope(exchange) },
      },
    },
    async (request) => ok(await exportBank(request.ctx, request.params.organizationId)),
  );

  app.post(
    "/api/v1/organizations/:organizationId/question-bank/import",
    {
      config: { access: { permission: "assessments:manage" } },
      schema: {
        tags,
        summary: "Import questions from JSON; each is stored or refused with its problem",
        params: idParam("organizationId"),
        body: exchange,
        response: {
          200: envelope(
            z.object({
              imported: z.number().int(),
              refused: z.number().int(),
              results: z.array(
                z.object({
                  index: z.number().int(),
                  id: z.uuid().optional(),
                  error: z
                    .object({ code: z.string(), message: z.string(), field: z.string().optional() })
                    .optional(),
                }),
              ),
            }),
          ),
        },
      },
    },
    async (request) => {
      const results = await importBank(
        request.ctx,
        request.params.organizationId,
        request.body.questions,
      );
      return ok({
        imported: results.filter((r) => r.id).length,
        refused: results.filter((r) => r.error).length,
        results,
      });
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/question-bank/import-qti",
    {
      config: { access: { permission: "assessments:manage" } },
      schema: {
        tags,
        summary: "Import QTI 3.0 items (choice and true/false) into the bank",
        description:
          "Each document is the XML of a QTI 3.0 assessment item (QTI 2.x spelling is read too), or several items in one document. Single-answer choice items become multiple choice; two choices reading True and False become true/false; multiple-cardinality items become multiple select (partial credit with the map_response template). Inline choice feedback and modal feedback are kept. MAXSCORE sets the points (1 otherwise). Other interactions are refused item by item.",
        params: idParam("organizationId"),
        body: z.object({
          documents: z.array(z.string().min(1).max(500_000)).min(1).max(200),
          category: z.string().trim().max(100).nullable().optional(),
          tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
          difficulty: z.enum(["easy", "medium", "hard"]).nullable().optional(),
        }),
        response: {
          200: envelope(
            z.object({
              imported: z.number().int(),
              refused: z.number().int(),
              results: z.array(
                z.object({
                  document: z.number().int(),
                  identifier: z.string().nullable(),
                  title: z.string().nullable(),
                  id: z.uuid().optional(),
                  error: z
                    .object({ code: z.string(), message: z.string(), field: z.string().optional() })
                    .optional(),
                }),
              ),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { documents, ...defaults } = request.body;
      const results = await importQti(
        request.ctx,
        request.params.organizationId,
        documents,
        defaults,
      );
      return ok({
        imported: results.filter((r) => r.id).length,
        refused: results.filter((r) => r.error).length,
        results,
      });
    },
  );
}
