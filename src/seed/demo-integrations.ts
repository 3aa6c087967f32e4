import { createUser } from "../modules/identity/auth.js";
import type { ConnectorSpec } from "../modules/integrations/connectors/types.js";
import { startCanvasFake } from "../modules/integrations/fakes/canvas-fake.js";
import { seedPerson } from "../modules/integrations/fakes/common.js";
import { startMoodleFake } from "../modules/integrations/fakes/moodle-fake.js";
import { createIntegration } from "../modules/integrations/integrations.js";
import { requestSync, runSync } from "../modules/integrations/sync/engine.js";
import { loadSyncTarget } from "../modules/integrations/sync/target.js";
import { addMember } from "../modules/organizations/service.js";
import type { Ctx } from "../platform/context.js";

/** Employees who also learn in the demo's Moodle and Canvas (the fakes' first people). */
const EMPLOYEES = 20;

/**
 * Northwind's learning outside Lyceum: a Moodle and a Canvas, each with a finished sync run to
 * look at. They are imported from the local stand-ins of those systems (the same fakes the
 * tests use), started for the seeding only; afterwards the integrations point at addresses of
 * the demo's own domain, as a real deployment's would, and wait to be connected for real.
 * Four of the Moodle learners are not Northwind employees: their records show as skipped.
 */
export async function seedDemoIntegrations(
  ctx: Ctx,
  organizationId: string,
  users: Record<string, string>,
  password: string,
): Promise<void> {
  for (let n = 0; n < EMPLOYEES; n++) {
    const person = seedPerson(n);
    const user = await createUser(ctx, {
      email: person.email,
      password,
      firstName: person.firstName,
      lastName: person.lastName,
      emailVerified: true,
      timezone: "Europe/London",
    });
    await addMember(ctx, organizationId, {
      userId: user.id,
      roleKeys: ["learner"],
      departmentId: null,
      source: "seed",
    });
  }
  const owner = users["org-admin"] as string;
  const moodle = await startMoodleFake({ courses: 3, enrollmentsPerCourse: 8, record: false });
  const canvas = await startCanvasFake({ courses: 2, enrollmentsPerCourse: 8, record: false });
  try {
    const systems = [
      {
        fake: moodle,
        publicUrl: "https://moodle.northwind.example",
        input: {
          name: "Campus Moodle",
          code: "moodle",
          lmsType: "moodle" as const,
          options: {} as Record<string, unknown>,
        },
      },
      {
        fake: canvas,
        publicUrl: "https://canvas.northwind.example",
        input: {
          name: "Partner academy (Canvas)",
          code: "canvas",
          lmsType: "canvas" as const,
          options: { accountId: canvas.accountId } as Record<string, unknown>,
        },
      },
    ];
    for (const { fake, publicUrl, input } of systems) {
      const integration = await createIntegration(ctx, organizationId, {
        ...input,
        method: "api",
        authType: "api-token",
        credentials: { token: fake.token },
        baseUrl: fake.url,
        ownerIds: [owner],
      });
      const run = await requestSync(ctx, { id: integration.id, organizationId });
      // The stand-ins listen on this machine's loopback, which integrations may not call
      // unless the deployment allows private networks: this import is allowed to.
      const local = {
        ...ctx,
        connectors: (spec: ConnectorSpec) => ctx.connectors({ ...spec, allowPrivateNetwork: true }),
      };
      await runSync(local, run.id, loadSyncTarget);
      await ctx.db
        .updateTable("lms_integrations")
        .set({ base_url: publicUrl, connection_status: "disconnected", sla_hours: 24 })
        .where("id", "=", integration.id)
        .execute();
    }
  } finally {
    await Promise.all([moodle.close(), canvas.close()]);
  }
}
