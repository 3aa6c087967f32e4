import { EXTERNAL_ENROLLMENT_STATUSES, type ExternalEnrollment } from "../connectors/types.js";
import { applyRules, type Rules, TARGET_FIELDS } from "../rules.js";

/**
 * An integration's rules applied to a record its connector read. The connector already speaks
 * Lyceum's fields, so every field starts as the connector gave it (an identity mapping) and the
 * integration's own mappings, read from the same record, come after and win; then its
 * transformations and validations run. Answers the record as it will be stored, or the
 * problems that keep it out (the run reports them and keeps the record as a dead letter).
 */
export function applyIntegrationRules(
  rules: Rules | null,
  item: ExternalEnrollment,
): { item: ExternalEnrollment; problems: string[] } {
  if (
    !rules ||
    (!rules.fieldMappings.length &&
      !rules.transformationRules.length &&
      !rules.validationRules.length)
  )
    return { item, problems: [] };
  const plain = JSON.parse(JSON.stringify(item)) as Record<string, unknown>;
  const identity = TARGET_FIELDS.filter(
    (f) => !f.startsWith("course.") && f !== "person.fullName",
  ).map((target) => ({ source: target, target }));
  const { record, problems } = applyRules(
    { ...rules, fieldMappings: [...identity, ...rules.fieldMappings] } as Rules,
    plain,
  );
  const out = record as Record<string, unknown> & { person?: Record<string, unknown> };
  const merged: Record<string, unknown> = {
    ...plain,
    ...out,
    person: { ...(plain.person as object), ...(out.person ?? {}) },
  };
  const messages = problems.map((p) => `${p.field}: ${p.message}`);
  const status = merged.status as string;
  if (!(EXTERNAL_ENROLLMENT_STATUSES as readonly string[]).includes(status))
    messages.push(`status: "${status}" is not one of ${EXTERNAL_ENROLLMENT_STATUSES.join(", ")}`);
  return { item: revive(merged as unknown as ExternalEnrollment), problems: messages };
}

/** Dates of a record that went through JSON, as dates again; numbers as numbers. */
export function revive(item: ExternalEnrollment): ExternalEnrollment {
  const date = (v: unknown) => {
    if (v === null || v === undefined || v === "") return null;
    const d = v instanceof Date ? v : new Date(v as string);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  const num = (v: unknown) => (v === null || v === undefined || v === "" ? null : Number(v));
  return {
    ...item,
    enrolledAt: date(item.enrolledAt),
    startedAt: date(item.startedAt),
    completedAt: date(item.completedAt),
    dueAt: date(item.dueAt),
    lastAccessAt: date(item.lastAccessAt),
    certifiedAt: date(item.certifiedAt),
    updatedAt: date(item.updatedAt),
    progressPercent: num(item.progressPercent),
    timeSpentMinutes: num(item.timeSpentMinutes),
    score: num(item.score),
    maxScore: num(item.maxScore),
    passingScore: num(item.passingScore),
    credits: num(item.credits),
    costMinor: num(item.costMinor),
    attempts: num(item.attempts),
  };
}
