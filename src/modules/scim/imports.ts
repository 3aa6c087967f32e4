import { sql } from "kysely";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { parseCsv } from "../../platform/csv.js";
import { AppError } from "../../platform/http/errors.js";
import { widestScope } from "../../platform/policy/engine.js";
import { withAdminGuard } from "../access/assignments.js";
import { ScimError } from "./errors.js";
import { scimBoolean } from "./patch.js";
import {
  applyState,
  loadRow,
  provisionPerson,
  stateOfRow,
  type UserState,
  userStateOf,
} from "./users.js";

/**
 * The CSV employee import, for HR systems without SCIM: one row per person, applied with the
 * same rules as SCIM provisioning (users.ts) — new people get an account, existing accounts
 * are linked only inside the organization's verified domains, `active=false` deactivates.
 * A dry run does everything in a transaction and rolls it back, so its answer is exactly what
 * the import would do.
 */

export const MAX_IMPORT_ROWS = 5000;

const COLUMNS: Record<string, keyof ImportRow> = {
  email: "email",
  emailaddress: "email",
  username: "email",
  firstname: "firstName",
  givenname: "firstName",
  lastname: "lastName",
  familyname: "lastName",
  surname: "lastName",
  department: "department",
  manageremail: "managerEmail",
  manager: "managerEmail",
  employeenumber: "employeeNumber",
  employeeid: "employeeNumber",
  title: "title",
  jobtitle: "title",
  active: "active",
  externalid: "externalId",
};

interface ImportRow {
  email?: string;
  firstName?: string;
  lastName?: string;
  department?: string;
  managerEmail?: string;
  employeeNumber?: string;
  title?: string;
  active?: string;
  externalId?: string;
}

export type ImportOutcome = "created" | "updated" | "unchanged" | "failed";

export interface ImportRowResult {
  /** The row's line in the file (the header is line 1). */
  line: number;
  email: string | null;
  outcome: ImportOutcome;
  message: string | null;
}

class DryRun extends Error {}

function readRows(csv: string): ImportRow[] {
  let table: string[][];
  try {
    table = parseCsv(csv);
  } catch {
    throw new AppError("VALIDATION_ERROR", "The CSV is malformed: a quoted field is not closed", {
      field: "csv",
    });
  }
  const [header, ...body] = table;
  if (!header) throw new AppError("VALIDATION_ERROR", "The CSV is empty", { field: "csv" });
  const keys = header.map((h) => COLUMNS[h.toLowerCase().replace(/[^a-z]/g, "")]);
  if (!keys.includes("email"))
    throw new AppError("VALIDATION_ERROR", "The CSV needs an email column", { field: "csv" });
  if (body.length > MAX_IMPORT_ROWS)
    throw new AppError("VALIDATION_ERROR", `At most ${MAX_IMPORT_ROWS} rows per import`, {
      field: "csv",
    });
  return body.map((cells) => {
    const row: ImportRow = {};
    keys.forEach((key, i) => {
      const value = cells[i]?.trim();
      if (key && value) row[key] = value;
    });
    return row;
  });
}

function activeOf(value: string | undefined, current: boolean): boolean {
  if (value === undefined) return current;
  const v = value.toLowerCase();
  if (["yes", "1", "active"].includes(v)) return true;
  if (["no", "0", "inactive", "deactivated", "terminated"].includes(v)) return false;
  return scimBoolean(value, "active");
}

/** The person's desired state: the row's columns over what is stored (or SCIM's defaults). */
function desiredOf(row: ImportRow, current: UserState | undefined): UserState {
  const base = userStateOf(
    {
      userName: row.email,
      name: { givenName: row.firstName, familyName: row.lastName },
    },
    current,
  );
  return {
    ...(current ?? base),
    email: base.email,
    givenName: row.firstName ?? base.givenName,
    familyName: row.lastName ?? base.familyName,
    ...(row.department !== undefined ? { department: row.department } : {}),
    ...(row.employeeNumber !== undefined ? { employeeNumber: row.employeeNumber } : {}),
    ...(row.title !== undefined ? { title: row.title } : {}),
    ...(row.externalId !== undefined ? { externalId: row.externalId } : {}),
    active: activeOf(row.active, current?.active ?? true),
  };
}

function messageOf(error: unknown): string {
  if (error instanceof ScimError || error instanceof AppError) return error.message;
  throw error;
}

async function memberIdByEmail(tx: Ctx, organizationId: string, email: string) {
  const row = await tx.db
    .selectFrom("organization_members as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select("m.user_id")
    .where("m.organization_id", "=", organizationId)
    .where("u.email", "=", email.toLowerCase())
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/** Runs one step in a savepoint, so a refused row leaves the rest of the import intact. */
async function step<T>(tx: Ctx, name: string, fn: () => Promise<T>): Promise<T> {
  await sql`savepoint ${sql.raw(name)}`.execute(tx.db);
  try {
    const result = await fn();
    await sql`release savepoint ${sql.raw(name)}`.execute(tx.db);
    return result;
  } catch (error) {
    await sql`rollback to savepoint ${sql.raw(name)}`.execute(tx.db);
    throw error;
  }
}

export async function importEmployees(
  ctx: Ctx,
  organizationId: string,
  input: { csv: string; dryRun: boolean },
) {
  const scope = widestScope(await ctx.actor.access(), "members:manage", organizationId);
  if (scope !== "organization" && scope !== "all")
    throw new AppError(
      "FORBIDDEN",
      "Importing employees needs members:manage for the whole organization",
    );
  const rows = readRows(input.csv);
  const results: ImportRowResult[] = [];
  const run = async (tx: Ctx) => {
    const managers: { index: number; userId: string; managerEmail: string }[] = [];
    const seen = new Set<string>();
    for (const [index, row] of rows.entries()) {
      const line = index + 2;
      const email = row.email?.toLowerCase() ?? null;
      const result: ImportRowResult = { line, email, outcome: "failed", message: null };
      results.push(result);
      try {
        if (!email) throw new AppError("VALIDATION_ERROR", "The email is missing");
        if (seen.has(email))
          throw new AppError("VALIDATION_ERROR", "This email is on an earlier row");
        seen.add(email);
        await step(tx, `employee_row`, async () => {
          const userId = await memberIdByEmail(tx, organizationId, email);
          if (userId) {
            const current = await loadRow(tx, organizationId, userId);
            const desired = desiredOf(row, stateOfRow(current));
            const same = JSON.stringify(desired) === JSON.stringify(stateOfRow(current));
            if (!same) await applyState(tx, organizationId, current, desired);
            result.outcome = same ? "unchanged" : "updated";
            if (row.managerEmail) managers.push({ index, userId, managerEmail: row.managerEmail });
          } else {
            const created = await provisionPerson(tx, organizationId, desiredOf(row, undefined));
            result.outcome = "created";
            if (row.managerEmail)
              managers.push({ index, userId: created, managerEmail: row.managerEmail });
          }
        });
      } catch (error) {
        result.outcome = "failed";
        result.message = messageOf(error);
      }
    }
    // Managers last, so a manager may be on a later row of the same file.
    for (const { index, userId, managerEmail } of managers) {
      const result = results[index] as ImportRowResult;
      try {
        await step(tx, "employee_manager", async () => {
          const managerId = await memberIdByEmail(tx, organizationId, managerEmail);
          if (!managerId)
            throw new AppError(
              "VALIDATION_ERROR",
              `The manager ${managerEmail} is not a person of this organization; no manager was set`,
            );
          const current = await loadRow(tx, organizationId, userId);
          if (current.manager_user_id === managerId) return;
          await applyState(tx, organizationId, current, { ...stateOfRow(current), managerId });
          if (result.outcome === "unchanged") result.outcome = "updated";
        });
      } catch (error) {
        result.message = messageOf(error);
      }
    }
    if (input.dryRun) throw new DryRun();
  };
  try {
    await withAdminGuard(ctx, organizationId, (tx) => inTransaction(tx, run));
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  const count = (outcome: ImportOutcome) => results.filter((r) => r.outcome === outcome).length;
  return {
    dryRun: input.dryRun,
    summary: {
      rows: results.length,
      created: count("created"),
      updated: count("updated"),
      unchanged: count("unchanged"),
      failed: count("failed"),
    },
    rows: results,
  };
}
