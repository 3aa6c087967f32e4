import { actingAsUser } from "../modules/access/grants.js";
import { createReportJob } from "../modules/reports/jobs.js";
import { processNextReportJob } from "../modules/reports/runner.js";
import { createSchedule } from "../modules/reports/schedules.js";
import { createTemplate } from "../modules/reports/templates.js";
import type { Ctx } from "../platform/context.js";

/**
 * Demo reporting at Northwind: HR's organization-wide template of compliance completion by
 * department, a monthly schedule of it, and two finished reports (CSV and XLSX) to download.
 */
export async function seedDemoReports(
  ctx: Ctx,
  organizationId: string,
  users: Record<string, string>,
): Promise<void> {
  const hr = await actingAsUser(ctx, users["hr-admin"] as string, "demo-seed");
  const template = await createTemplate(hr, organizationId, {
    name: "Compliance completion by department",
    description: "Mandatory training: enrollments, completion rate and study time per department.",
    category: "compliance",
    tags: ["compliance", "monthly"],
    visibility: "organization",
    defaultOutputFormat: "excel",
    definition: {
      dimensions: [{ entity: "department", fields: ["name"] }],
      measures: [
        { id: "enrollments", type: "count" },
        {
          id: "completionRate",
          type: "completion-rate",
          conditionalFormatting: [
            { condition: "gte", value: 90, color: "#1a7f37", bold: true },
            { condition: "lt", value: 50, color: "#cf222e" },
          ],
        },
        { id: "studyTime", type: "avg-study-time" },
      ],
      display: { showTotals: true },
      filters: {
        customFilters: [{ field: "enrollment.isCompliance", operator: "eq", value: true }],
      },
      visualization: { type: "bar" },
    },
  });
  await createSchedule(hr, organizationId, {
    name: "Monthly compliance completion",
    templateId: template.id,
    frequency: "monthly",
    dayOfMonth: 1,
    time: "07:00",
    timezone: "Europe/London",
    outputFormat: "excel",
    notifyOnComplete: true,
    visibility: "organization",
  });
  for (const outputFormat of ["csv", "excel"] as const)
    await createReportJob(hr, organizationId, {
      name: `Compliance completion (${outputFormat === "csv" ? "CSV" : "Excel"})`,
      definition: template.definition,
      outputFormat,
    });
  while (await processNextReportJob(ctx, "demo-seed")) {
    // run the demo's reports now, so their files are there to download
  }
}
