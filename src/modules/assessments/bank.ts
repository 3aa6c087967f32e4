import { sql } from "kysely";
import { likePattern } from "../../db/values.js";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { paginate } from "../../platform/http/pagination.js";
import { type ActorAccess, authorize } from "../../platform/policy/engine.js";
import { parseQti, type QtiItem } from "./qti.js";
import { type QuestionDefinition, questionDefinition, validateQuestion } from "./questions.js";
import type { BankQuestionRow } from "./schema.js";

/**
 * The question bank (seed 002 question_bank): an organization's shared bank, browsed by everyone
 * who writes assessments there and changed by each question's author (or an organization-wide
 * assessments manager), and instructors' own banks outside organizations.
 */

export interface BankInput {
  title: string;
  category?: string | null;
  tags?: string[];
  difficulty?: "easy" | "medium" | "hard" | null;
  question: QuestionDefinition;
}

/** Whether the actor writes assessments in the organization (any scope of assessments:manage). */
export function writesAssessments(access: ActorAccess, organizationId: string | null): boolean {
  if (access.system) return true;
  return access.grants.some(
    (g) =>
      g.resource === "assessments" &&
      g.action === "manage" &&
      (g.scope === "all" || (organizationId !== null && g.organizationId === organizationId)),
  );
}

function checked(question: QuestionDefinition): QuestionDefinition {
  const problems = validateQuestion(question);
  if (problems.length)
    throw new AppError("VALIDATION_ERROR", problems[0]?.message ?? "The question is not sound", {
      field: `question.${problems[0]?.field}`,
      details: { problems },
    });
  return question;
}

export async function createBankQuestion(
  ctx: Ctx,
  organizationId: string | null,
  input: BankInput,
): Promise<BankQuestionRow> {
  const question = checked(input.question);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const row = await tx.db
      .insertInto("question_bank")
      .values({
        organization_id: organizationId,
        created_by: tx.actor.kind === "user" ? tx.actor.userId : null,
        title: input.title,
        category: input.category ?? null,
        tags: [...new Set(input.tags ?? [])],
        difficulty: input.difficulty ?? null,
        question_type: question.type,
        definition: JSON.stringify(question),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "question-bank.create",
      entityType: "question",
      entityId: row.id,
      after: { title: row.title, type: row.question_type },
    });
    return row;
  });
}

/** A bank question the actor may see (NOT_FOUND otherwise), optionally for a change. */
export async function bankQuestion(
  ctx: Ctx,
  id: string,
  forChange = false,
): Promise<BankQuestionRow> {
  const row = await ctx.db
    .selectFrom("question_bank")
    .selectAll()
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "Question not found");
  const access = await ctx.actor.access();
  const mine = ctx.actor.kind === "user" && row.created_by === ctx.actor.userId;
  const visible = row.organization_id
    ? writesAssessments(access, row.organization_id)
    : mine || access.system;
  if (!visible && !access.grants.some((g) => g.resource === "assessments" && g.scope === "all"))
    throw new AppError("NOT_FOUND", "Question not found");
  if (forChange)
    authorize(access, "assessments:manage", {
      organizationId: row.organization_id,
      ownerId: row.created_by,
    });
  return row;
}

export async function updateBankQuestion(
  ctx: Ctx,
  id: string,
  patch: Partial<BankInput>,
): Promise<BankQuestionRow> {
  const before = await bankQuestion(ctx, id, true);
  const question = patch.question ? checked(patch.question) : undefined;
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .updateTable("question_bank")
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.category !== undefined ? { category: patch.category } : {}),
        ...(patch.tags !== undefined ? { tags: [...new Set(patch.tags)] } : {}),
        ...(patch.difficulty !== undefined ? { difficulty: patch.difficulty } : {}),
        ...(question ? { question_type: question.type, definition: JSON.stringify(question) } : {}),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId: row.organization_id,
      action: "question-bank.update",
      entityType: "question",
      entityId: id,
      before,
      after: row,
    });
    return row;
  });
}

export async function deleteBankQuestion(ctx: Ctx, id: string): Promise<void> {
  const row = await bankQuestion(ctx, id, true);
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable("question_bank")
      .set({ deleted_at: tx.clock.now() })
      .where("id", "=", id)
      .execute();
    await audit(tx, {
      organizationId: row.organization_id,
      action: "question-bank.delete",
      entityType: "question",
      entityId: id,
      before: { title: row.title },
    });
  });
}

export interface BankQuery {
  page: number;
  limit: number;
  type?: string;
  category?: string;
  tag?: string;
  difficulty?: "easy" | "medium" | "hard";
  search?: string;
  sort: "newest" | "most-used" | "title";
}

/** An organization's bank (organizationId) or the caller's own (null), filtered and paged. */
export async function listBank(ctx: Ctx, organizationId: string | null, query: BankQuery) {
  let q = ctx.db.selectFrom("question_bank").selectAll().where("deleted_at", "is", null);
  if (organizationId) q = q.where("organization_id", "=", organizationId);
  else {
    if (ctx.actor.kind !== "user")
      throw new AppError("FORBIDDEN", "Personal banks belong to people");
    q = q.where("organization_id", "is", null).where("created_by", "=", ctx.actor.userId);
  }
  if (query.type) q = q.where("question_type", "=", query.type);
  if (query.category) q = q.where("category", "=", query.category);
  if (query.difficulty) q = q.where("difficulty", "=", query.difficulty);
  if (query.tag) {
    const tag = query.tag;
    q = q.where((eb) => eb(eb.val(tag), "=", eb.fn.any("tags")));
  }
  if (query.search) {
    const pattern = likePattern(query.search);
    q = q.where((eb) =>
      eb.or([eb("title", "ilike", pattern), sql<boolean>`definition->>'text' ilike ${pattern}`]),
    );
  }
  const order =
    query.sort === "most-used"
      ? { column: "usage_count", direction: "desc" as const }
      : query.sort === "title"
        ? { column: "title", direction: "asc" as const }
        : { column: "created_at", direction: "desc" as const };
  return paginate(q, query, order, "id");
}

/** The documented JSON exchange format of a bank (docs/api.md). */
export const EXPORT_FORMAT = "lyceum-question-bank" as const;

export async function exportBank(ctx: Ctx, organizationId: string) {
  const rows = await ctx.db
    .selectFrom("question_bank")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("deleted_at", "is", null)
    .orderBy("created_at")
    .orderBy("title")
    .execute();
  return {
    format: EXPORT_FORMAT,
    version: 1 as const,
    exportedAt: ctx.clock.now().toISOString(),
    questions: rows.map((r) => ({
      title: r.title,
      category: r.category,
      tags: r.tags,
      difficulty: r.difficulty,
      question: r.definition as QuestionDefinition,
    })),
  };
}

/** Imports questions one by one; each item is stored or refused with its problems. */
export async function importBank(
  ctx: Ctx,
  organizationId: string,
  items: unknown[],
): Promise<
  Array<{ index: number; id?: string; error?: { code: string; message: string; field?: string } }>
> {
  const results = [];
  for (const [index, item] of items.entries()) {
    const raw = item as Partial<BankInput> & { question?: unknown };
    const parsed = questionDefinition.safeParse(raw?.question);
    if (!parsed.success || typeof raw?.title !== "string" || !raw.title.trim()) {
      const issue = parsed.success ? null : parsed.error.issues[0];
      results.push({
        index,
        error: {
          code: "VALIDATION_ERROR",
          message: issue ? issue.message : "title is required",
          field: issue ? `question.${issue.path.join(".")}` : "title",
        },
      });
      continue;
    }
    try {
      const row = await createBankQuestion(ctx, organizationId, {
        title: raw.title.trim().slice(0, 255),
        category: typeof raw.category === "string" ? raw.category.slice(0, 100) : null,
        tags: Array.isArray(raw.tags)
          ? raw.tags.filter((t): t is string => typeof t === "string")
          : [],
        difficulty: ["easy", "medium", "hard"].includes(raw.difficulty as string)
          ? (raw.difficulty as "easy")
          : null,
        question: parsed.data,
      });
      results.push({ index, id: row.id });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({
        index,
        error: { code: error.code, message: error.message, field: error.field },
      });
    }
  }
  return results;
}

export interface QtiImportResult {
  document: number;
  identifier: string | null;
  title: string | null;
  id?: string;
  error?: { code: string; message: string; field?: string };
}

/**
 * Imports QTI 3.0 items (choice and true/false) into an organization's bank, each stored or
 * refused with its reason; a document that is not readable QTI is refused as a whole.
 */
export async function importQti(
  ctx: Ctx,
  organizationId: string,
  documents: string[],
  defaults: { category?: string | null; tags?: string[]; difficulty?: BankInput["difficulty"] },
): Promise<QtiImportResult[]> {
  const results: QtiImportResult[] = [];
  for (const [document, xml] of documents.entries()) {
    let items: QtiItem[];
    try {
      items = parseQti(xml);
    } catch (error) {
      results.push({
        document,
        identifier: null,
        title: null,
        error: { code: "INVALID_FILE", message: (error as Error).message },
      });
      continue;
    }
    for (const item of items) {
      const base = { document, identifier: item.identifier, title: item.title };
      if (!item.question) {
        results.push({
          ...base,
          error: { code: "UNPROCESSABLE", message: item.problem ?? "Unreadable item" },
        });
        continue;
      }
      try {
        const row = await createBankQuestion(ctx, organizationId, {
          title: item.title,
          category: defaults.category ?? null,
          tags: [...new Set([...(defaults.tags ?? []), "qti"])],
          difficulty: defaults.difficulty ?? null,
          question: item.question,
        });
        results.push({ ...base, id: row.id });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push({
          ...base,
          error: { code: error.code, message: error.message, field: error.field },
        });
      }
    }
  }
  return results;
}
