/** One field of an audited change: its value before and after, and whether it changed. */
export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
  changed: boolean;
}

function show(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * The fields of an audit entry's before and after values, side by side, in the order they
 * first appear (before's, then after's new ones). Values that are not objects show as one
 * field named "value". Nested values show as JSON.
 */
export function auditChanges(before: unknown, after: unknown): FieldChange[] {
  const b = asRecord(before);
  const a = asRecord(after);
  if ((before != null && !b) || (after != null && !a)) {
    const x = show(before);
    const y = show(after);
    return [{ field: "value", before: x, after: y, changed: x !== y }];
  }
  const fields = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  return fields.map((field) => {
    const x = show(b?.[field]);
    const y = show(a?.[field]);
    return { field, before: x, after: y, changed: x !== y };
  });
}
