import { AppError } from "../../../platform/http/errors.js";
import {
  EXTERNAL_ENROLLMENT_STATUSES,
  type ExternalCourse,
  type ExternalEnrollment,
  type ExternalEnrollmentStatus,
} from "../connectors/types.js";
import type { ColumnMapping } from "./schema.js";
import type { Cell, TableRow } from "./table.js";

/**
 * The column mapping of file imports: the fields a file's columns can fill (those of
 * ExternalCourse and ExternalEnrollment), the mapping suggested from the header names, its
 * validation, and the reading of one row into a course and an enrollment.
 */

type Kind = "text" | "email" | "date" | "number" | "integer" | "percent" | "status" | "url";

interface FieldSpec {
  kind: Kind;
  label: string;
  /** Header names that suggest this field, compared as `normalize` leaves them. */
  names: string[];
}

export const FILE_FIELDS = {
  externalId: {
    kind: "text",
    label: "Enrollment's id in the other system",
    names: ["externalid", "enrollmentid", "recordid", "registrationid"],
  },
  courseExternalId: {
    kind: "text",
    label: "Course id",
    names: ["courseid", "courseexternalid", "coursenumber", "activityid"],
  },
  courseCode: { kind: "text", label: "Course code", names: ["coursecode", "code"] },
  courseTitle: {
    kind: "text",
    label: "Course title",
    names: ["coursetitle", "coursename", "course", "title", "activity", "activityname"],
  },
  email: {
    kind: "email",
    label: "Person's email",
    names: ["email", "emailaddress", "mail", "useremail", "learneremail", "employeeemail"],
  },
  firstName: { kind: "text", label: "First name", names: ["firstname", "givenname", "forename"] },
  lastName: { kind: "text", label: "Last name", names: ["lastname", "surname", "familyname"] },
  personExternalId: {
    kind: "text",
    label: "Person's id in the other system",
    names: ["userid", "personid", "learnerid", "employeeid", "employeenumber"],
  },
  status: {
    kind: "status",
    label: "Status",
    names: ["status", "completionstatus", "enrollmentstatus", "state"],
  },
  enrolledAt: {
    kind: "date",
    label: "Enrolled at",
    names: ["enrolledat", "enrollmentdate", "enrolled", "enrolleddate", "assignedat", "assigned"],
  },
  startedAt: { kind: "date", label: "Started at", names: ["startedat", "startdate", "started"] },
  completedAt: {
    kind: "date",
    label: "Completed at",
    names: ["completedat", "completiondate", "completed", "completeddate", "finishedat"],
  },
  dueAt: { kind: "date", label: "Due at", names: ["dueat", "duedate", "due", "deadline"] },
  lastAccessAt: {
    kind: "date",
    label: "Last access",
    names: ["lastaccessat", "lastaccess", "lastaccessed", "lastactivity"],
  },
  progressPercent: {
    kind: "percent",
    label: "Progress (%)",
    names: ["progress", "progresspercent", "percentcomplete", "completionpercent"],
  },
  timeSpentMinutes: {
    kind: "number",
    label: "Time spent (minutes)",
    names: ["timespentminutes", "timespent", "minutes", "durationminutes"],
  },
  score: { kind: "number", label: "Score", names: ["score", "result", "points"] },
  maxScore: {
    kind: "number",
    label: "Maximum score",
    names: ["maxscore", "maximumscore", "maxpoints", "outof"],
  },
  passingScore: {
    kind: "number",
    label: "Passing score",
    names: ["passingscore", "passscore", "passmark", "passinggrade"],
  },
  grade: { kind: "text", label: "Grade", names: ["grade", "lettergrade"] },
  credits: { kind: "number", label: "Credits", names: ["credits", "credit", "cpd", "ceu"] },
  cost: { kind: "number", label: "Cost", names: ["cost", "price", "amount", "fee"] },
  currency: { kind: "text", label: "Currency", names: ["currency", "costcurrency"] },
  instructorName: {
    kind: "text",
    label: "Instructor",
    names: ["instructor", "instructorname", "trainer", "teacher"],
  },
  attempts: { kind: "integer", label: "Attempts", names: ["attempts", "attemptcount", "tries"] },
  certifiedAt: {
    kind: "date",
    label: "Certified at",
    names: ["certifiedat", "certificationdate", "certifieddate", "certificatedate"],
  },
  certificateUrl: {
    kind: "url",
    label: "Certificate URL",
    names: ["certificateurl", "certificatelink", "certificate"],
  },
} as const satisfies Record<string, FieldSpec>;

export type FileField = keyof typeof FILE_FIELDS;
export const FILE_FIELD_NAMES = Object.keys(FILE_FIELDS) as [FileField, ...FileField[]];

/** Header names compared without regard to case, spaces, underscores, dashes or dots. */
export const normalize = (name: string) => name.toLowerCase().replace(/[\s_\-.]+/g, "");

/**
 * The mapping a file's header suggests: each field gets the first column whose name is one of
 * the field's names (a column serves one field). A saved mapping whose columns are all in the
 * file wins over the names.
 */
export function suggestMapping(columns: string[], saved: ColumnMapping | null): ColumnMapping {
  if (saved && Object.keys(saved).length && Object.values(saved).every((c) => columns.includes(c)))
    return { ...saved };
  const byName = new Map(columns.map((c) => [normalize(c), c]));
  const taken = new Set<string>();
  const mapping: ColumnMapping = {};
  for (const field of FILE_FIELD_NAMES) {
    for (const name of FILE_FIELDS[field].names) {
      const column = byName.get(name);
      if (column && !taken.has(column)) {
        mapping[field] = column;
        taken.add(column);
        break;
      }
    }
  }
  return mapping;
}

/** Refuses a mapping that misses a required field or names a column the file does not have. */
export function validateMapping(mapping: ColumnMapping, columns: string[]): void {
  for (const [field, column] of Object.entries(mapping)) {
    if (!(field in FILE_FIELDS))
      throw new AppError("VALIDATION_ERROR", `${field} is not a field a file can fill`, {
        field: `mapping.${field}`,
      });
    if (!columns.includes(column))
      throw new AppError(
        "VALIDATION_ERROR",
        `The file has no column "${column}" (mapped to ${field})`,
        { field: `mapping.${field}`, details: { columns } },
      );
  }
  if (!mapping.courseExternalId && !mapping.courseCode)
    throw new AppError(
      "VALIDATION_ERROR",
      "Map the course id (courseExternalId) or the course code (courseCode) to a column",
      { field: "mapping.courseExternalId" },
    );
  for (const field of ["courseTitle", "email"] as const)
    if (!mapping[field])
      throw new AppError("VALIDATION_ERROR", `Map ${field} to a column: it is required`, {
        field: `mapping.${field}`,
      });
}

const STATUS_WORDS: Record<string, ExternalEnrollmentStatus> = {
  notstarted: "not-started",
  notattempted: "not-started",
  new: "not-started",
  enrolled: "not-started",
  assigned: "not-started",
  registered: "not-started",
  pending: "not-started",
  inprogress: "in-progress",
  started: "in-progress",
  incomplete: "in-progress",
  active: "in-progress",
  ongoing: "in-progress",
  attempted: "in-progress",
  completed: "completed",
  complete: "completed",
  done: "completed",
  finished: "completed",
  passed: "completed",
  pass: "completed",
  failed: "failed",
  fail: "failed",
  notpassed: "failed",
  dropped: "dropped",
  withdrawn: "dropped",
  cancelled: "dropped",
  canceled: "dropped",
  unenrolled: "dropped",
  onhold: "on-hold",
  paused: "on-hold",
  suspended: "on-hold",
  expired: "expired",
  lapsed: "expired",
  certified: "certified",
};

/** Cell problems, one per row at most: the first one found is the row's failure reason. */
class CellError extends Error {}

const text = (cell: Cell): string | null => {
  if (cell === null) return null;
  if (cell instanceof Date) return cell.toISOString();
  const s = String(cell).trim();
  return s === "" ? null : s;
};

/** Days from 1899-12-30 (spreadsheets' day zero) to 1970-01-01. */
const SERIAL_EPOCH = 25569;

function dateOf(cell: Cell, column: string): Date | null {
  if (cell instanceof Date) return cell;
  if (typeof cell === "number") return serial(cell, column);
  const s = text(cell);
  if (s === null) return null;
  if (/^\d+(\.\d+)?$/.test(s)) return serial(Number(s), column);
  const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
  const date = iso.test(s) ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s) : null;
  if (!date || Number.isNaN(date.getTime()))
    throw new CellError(`${column}: "${s}" is not a date (write it as 2026-03-31 or ISO 8601)`);
  return date;
}

function serial(n: number, column: string): Date {
  if (n < 1 || n > 2_958_465) throw new CellError(`${column}: ${n} is not a date`);
  return new Date(Math.round((n - SERIAL_EPOCH) * 86_400_000));
}

function numberOf(cell: Cell, column: string, percent = false): number | null {
  if (typeof cell === "number")
    return percent && cell > 0 && cell <= 1 && !Number.isInteger(cell) ? cell * 100 : cell;
  const s = text(cell);
  if (s === null) return null;
  let t = s.replace(/\s/g, "");
  const isPercent = t.endsWith("%");
  if (isPercent) t = t.slice(0, -1);
  if (!t.includes(".") && /^-?\d+,\d+$/.test(t)) t = t.replace(",", ".");
  const n = /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
  if (!Number.isFinite(n)) throw new CellError(`${column}: "${s}" is not a number`);
  return n;
}

function statusOf(cell: Cell, column: string): ExternalEnrollmentStatus | null {
  const s = text(cell);
  if (s === null) return null;
  const status = STATUS_WORDS[normalize(s)];
  if (!status)
    throw new CellError(
      `${column}: the status "${s}" is not known (use one of ${EXTERNAL_ENROLLMENT_STATUSES.join(", ")})`,
    );
  return status;
}

/** How many minor units a currency has (2 for EUR, 0 for JPY), as Intl knows it. */
function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    throw new CellError(`currency: "${currency}" is not an ISO 4217 currency code`);
  }
}

/** One data row as Lyceum reads it: its course and its enrollment, or why it cannot be read. */
export interface ReadRow {
  line: number;
  /** The course's key in the file (its id, else its code); null when the row has neither. */
  courseKey: string | null;
  courseTitle: string | null;
  courseCode: string | null;
  email: string | null;
  externalId: string;
  enrollment: ExternalEnrollment | null;
  /** Why the row cannot be imported, with its line, when it cannot. */
  problem: string | null;
}

/** Reads a data row through a (validated) mapping. */
export function readRow(row: TableRow, columns: string[], mapping: ColumnMapping): ReadRow {
  const index = new Map(columns.map((c, i) => [c, i]));
  const cell = (field: FileField): Cell => {
    const column = mapping[field];
    const i = column === undefined ? undefined : index.get(column);
    return i === undefined ? null : (row.cells[i] ?? null);
  };
  const columnOf = (field: FileField) => mapping[field] ?? field;
  const courseCode = text(cell("courseCode"));
  const courseKey = text(cell("courseExternalId")) ?? courseCode;
  const courseTitle = text(cell("courseTitle"));
  const email = text(cell("email"))?.toLowerCase() ?? null;
  const ownId = text(cell("externalId"));
  const externalId = ownId ?? (courseKey && email ? `${courseKey}:${email}` : `line-${row.line}`);
  const base = { line: row.line, courseKey, courseTitle, courseCode, email, externalId };
  const fail = (reason: string): ReadRow => ({
    ...base,
    enrollment: null,
    problem: `Line ${row.line}: ${reason}`,
  });
  if (!courseKey) return fail(`${columnOf("courseExternalId")}: the course id is empty`);
  if (!email) return fail(`${columnOf("email")}: the email is empty`);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    return fail(`${columnOf("email")}: "${email}" is not an email address`);
  try {
    const date = (f: FileField) => dateOf(cell(f), columnOf(f));
    const num = (f: FileField) => numberOf(cell(f), columnOf(f));
    const enrolledAt = date("enrolledAt");
    const startedAt = date("startedAt");
    const completedAt = date("completedAt");
    const progressPercent = numberOf(cell("progressPercent"), columnOf("progressPercent"), true);
    if (progressPercent !== null && (progressPercent < 0 || progressPercent > 100))
      throw new CellError(
        `${columnOf("progressPercent")}: ${progressPercent} is not between 0 and 100`,
      );
    const attempts = num("attempts");
    if (attempts !== null && (!Number.isInteger(attempts) || attempts < 0))
      throw new CellError(`${columnOf("attempts")}: ${attempts} is not a whole number`);
    const currency = text(cell("currency"))?.toUpperCase() ?? null;
    const cost = num("cost");
    if (cost !== null && !currency)
      throw new CellError(
        `${columnOf("cost")}: a cost needs its currency (map the currency column)`,
      );
    const costMinor =
      cost === null ? null : Math.round(cost * 10 ** minorDigits(currency as string));
    if (currency && cost === null) minorDigits(currency);
    const certificateUrl = text(cell("certificateUrl"));
    if (certificateUrl && !/^https?:\/\/\S+$/.test(certificateUrl))
      throw new CellError(
        `${columnOf("certificateUrl")}: "${certificateUrl}" is not a web address`,
      );
    const status =
      statusOf(cell("status"), columnOf("status")) ??
      (completedAt
        ? "completed"
        : startedAt || (progressPercent ?? 0) > 0
          ? "in-progress"
          : "not-started");
    const enrollment: ExternalEnrollment = {
      externalId,
      courseExternalId: courseKey,
      person: {
        externalId: text(cell("personExternalId")) ?? email,
        email,
        firstName: text(cell("firstName")),
        lastName: text(cell("lastName")),
      },
      status,
      enrolledAt,
      startedAt,
      completedAt,
      dueAt: date("dueAt"),
      lastAccessAt: date("lastAccessAt"),
      progressPercent,
      timeSpentMinutes: num("timeSpentMinutes"),
      score: num("score"),
      maxScore: num("maxScore"),
      passingScore: num("passingScore"),
      grade: text(cell("grade")),
      credits: num("credits"),
      costMinor,
      currency: cost === null ? null : currency,
      instructorName: text(cell("instructorName")),
      attempts,
      certifiedAt: date("certifiedAt"),
      certificateUrl,
      updatedAt: null,
    };
    return { ...base, enrollment, problem: null };
  } catch (error) {
    if (error instanceof CellError) return fail(error.message);
    throw error;
  }
}

/** The courses of a file's rows, in the order they first appear, titled by their first title. */
export function coursesOf(rows: ReadRow[]): ExternalCourse[] {
  const courses = new Map<string, ExternalCourse>();
  for (const row of rows) {
    if (!row.courseKey) continue;
    const known = courses.get(row.courseKey);
    if (known) {
      if (!known.title && row.courseTitle) known.title = row.courseTitle;
      if (!known.code && row.courseCode) known.code = row.courseCode;
      continue;
    }
    courses.set(row.courseKey, {
      externalId: row.courseKey,
      code: row.courseCode,
      title: row.courseTitle ?? "",
      summary: null,
      url: null,
      startsAt: null,
      endsAt: null,
      updatedAt: null,
    });
  }
  return [...courses.values()];
}

/**
 * A file may hold one enrollment twice (a later row correcting an earlier one): the last row
 * of each enrollment is the one imported, as an upsert would leave it. Answers the rows kept,
 * in file order, and for each row left out the line of the row that replaces it.
 */
export function latestRows(rows: ReadRow[]): { kept: ReadRow[]; replacedBy: Map<number, number> } {
  const last = new Map<string, number>();
  for (const row of rows) last.set(row.externalId, row.line);
  const replacedBy = new Map<number, number>();
  const kept: ReadRow[] = [];
  for (const row of rows) {
    const line = last.get(row.externalId) as number;
    if (line === row.line) kept.push(row);
    else replacedBy.set(row.line, line);
  }
  return { kept, replacedBy };
}
