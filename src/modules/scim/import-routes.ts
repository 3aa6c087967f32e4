import { z } from "zod";
import { envelope, ok } from "../../platform/http/envelope.js";
import type { App } from "../../platform/http/server.js";
import { importEmployees } from "./imports.js";

const org = z.object({ organizationId: z.uuid() });

const importResult = z
  .object({
    dryRun: z.boolean(),
    summary: z.object({
      rows: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      failed: z.number().int(),
    }),
    rows: z.array(
      z.object({
        line: z.number().int().describe("The row's line in the file; the header is line 1"),
        email: z.string().nullable(),
        outcome: z.enum(["created", "updated", "unchanged", "failed"]),
        message: z.string().nullable().describe("Why the row failed, or what was left undone"),
      }),
    ),
  })
  .meta({ id: "EmployeeImportResult" });

/** CSV employee imports: provisioning for HR systems without SCIM (docs/scim.md). */
export async function employeeImportRoutes(app: App): Promise<void> {
  app.post(
    "/api/v1/organizations/:organizationId/employee-imports",
    {
      config: { access: { permission: "members:manage" } },
      schema: {
        tags: ["Provisioning (SCIM)"],
        summary: "Import employees from a CSV file",
        description:
          "Columns (header names are matched without regard to case, spaces or underscores): " +
          "email (required), first_name, last_name, department, manager_email, " +
          "employee_number, title, active, external_id. New people are created, members are " +
          "updated (empty cells keep what is stored), active=false deactivates. With dryRun " +
          "nothing is stored and the answer says what would happen. Needs members:manage for " +
          "the whole organization.",
        params: org,
        body: z.object({
          csv: z.string().min(1).max(5_000_000).describe("The CSV text, header row first"),
          dryRun: z.boolean().default(false),
        }),
        response: { 200: envelope(importResult) },
      },
    },
    async (request) =>
      ok(await importEmployees(request.ctx, request.params.organizationId, request.body)),
  );
}
