import { z } from "zod";

/** Pagination block of a list response (seed 000 §4.3). */
export const paginationSchema = z.object({
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
  totalPages: z.number().int(),
  hasNext: z.boolean(),
  hasPrev: z.boolean(),
});
export type Pagination = z.infer<typeof paginationSchema>;

const metaSchema = z
  .object({
    pagination: paginationSchema.optional(),
    timing: z.object({ queryMs: z.number(), totalMs: z.number() }).optional(),
  })
  .optional();

/** The success envelope around a payload schema: `{ success: true, data, meta? }`. */
export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data, meta: metaSchema });
}

/** The success envelope of a paginated list. */
export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({
    success: z.literal(true),
    data: z.array(item),
    meta: z.object({ pagination: paginationSchema }),
  });
}

export const errorEnvelope = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: z.string().describe("Stable machine-readable code, e.g. VALIDATION_ERROR"),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
      field: z.string().optional().describe("The input field at fault, for validation errors"),
      stack: z
        .string()
        .optional()
        .describe(
          "Server faults only, and only when the server runs with LYCEUM_DEBUG_ERRORS=true",
        ),
    }),
    requestId: z.string(),
  })
  .meta({ id: "ErrorResponse" });

export type ErrorBody = z.infer<typeof errorEnvelope>;

export function ok<T>(data: T, meta?: { pagination?: Pagination }) {
  return meta ? { success: true as const, data, meta } : { success: true as const, data };
}

export function okList<T>(data: T[], pagination: Pagination) {
  return { success: true as const, data, meta: { pagination } };
}

/** An empty success, for commands that return nothing worth showing. */
export const okEmpty = envelope(z.object({ ok: z.literal(true) }));
export const done = () => ok({ ok: true as const });

/** An ISO 8601 timestamp with offset, as every response writes dates. */
export const isoDateTime = () => z.iso.datetime({ offset: true });
