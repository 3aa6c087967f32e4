import { randomBytes } from "node:crypto";
import { ORGANIZATION_ROLES } from "../modules/access/catalog.js";
import { roleIdByKey } from "../modules/access/provision.js";
import { createUser } from "../modules/identity/auth.js";
import { addMember, createOrganization } from "../modules/organizations/service.js";
import { addTeamMember, createDepartment, createTeam } from "../modules/organizations/structure.js";
import { type Ctx, inTransaction } from "../platform/context.js";
import { seedDemoAssessments } from "./demo-assessments.js";
import { seedDemoCourses } from "./demo-courses.js";
import { seedDemoIntegrations } from "./demo-integrations.js";
import { seedDemoLearning } from "./demo-learning.js";
import { seedDemoReports } from "./demo-reports.js";

export const DEMO_ORG_SLUG = "northwind";
export const DEMO_DOMAIN = "northwind.example";

export interface DemoLogin {
  email: string;
  role: string;
  name: string;
}

export interface DemoResult {
  created: boolean;
  organizationId: string | null;
  password: string | null;
  logins: DemoLogin[];
}

/** A demo password that satisfies the password policy. */
export function generateDemoPassword(): string {
  return `Demo-${randomBytes(6).toString("base64url")}-7!`;
}

const PEOPLE: Record<string, [string, string]> = {
  learner: ["Lena", "Learner"],
  "teaching-assistant": ["Theo", "Assistant"],
  instructor: ["Iris", "Instructor"],
  "content-admin": ["Carl", "Content"],
  manager: ["Maya", "Manager"],
  "department-admin": ["Dev", "Departmental"],
  "training-coordinator": ["Tara", "Coordinator"],
  "hr-admin": ["Hana", "People"],
  "report-viewer": ["Rui", "Reports"],
  "compliance-officer": ["Cora", "Compliance"],
  auditor: ["Aldo", "Auditor"],
  "org-admin": ["Olga", "Admin"],
};

/**
 * The `demo` scenario: Northwind Learning with four departments, three teams and one person
 * per built-in role, plus a platform administrator. Does nothing when it already exists.
 */
export async function seedDemo(
  ctx: Ctx,
  options: { password?: string; onProgress?: (step: string) => void } = {},
): Promise<DemoResult> {
  const existing = await ctx.db
    .selectFrom("organizations")
    .select("id")
    .where("slug", "=", DEMO_ORG_SLUG)
    .executeTakeFirst();
  if (existing) return { created: false, organizationId: existing.id, password: null, logins: [] };
  const password = options.password ?? generateDemoPassword();
  const step = options.onProgress ?? (() => {});
  return inTransaction(ctx, async (tx) => {
    step("organization");
    const org = await createOrganization(tx, {
      name: "Northwind Learning",
      slug: DEMO_ORG_SLUG,
      domain: DEMO_DOMAIN,
      autoJoin: true,
      contactEmail: `org-admin@${DEMO_DOMAIN}`,
      contactName: "Olga Admin",
      seatsPurchased: 50,
      timezone: "Europe/London",
    });
    step("departments");
    const departments = {
      engineering: await createDepartment(tx, org.id, { name: "Engineering", code: "ENG" }),
      sales: await createDepartment(tx, org.id, { name: "Sales", code: "SAL" }),
      people: await createDepartment(tx, org.id, { name: "People & Culture", code: "HR" }),
      compliance: await createDepartment(tx, org.id, { name: "Risk & Compliance", code: "RSK" }),
    };
    step("people");
    const logins: DemoLogin[] = [];
    const users: Record<string, string> = {};
    const departmentOf: Record<string, string> = {
      learner: departments.engineering.id,
      "teaching-assistant": departments.engineering.id,
      instructor: departments.engineering.id,
      manager: departments.engineering.id,
      "department-admin": departments.engineering.id,
      "content-admin": departments.people.id,
      "training-coordinator": departments.people.id,
      "hr-admin": departments.people.id,
      "report-viewer": departments.sales.id,
      "compliance-officer": departments.compliance.id,
      auditor: departments.compliance.id,
      "org-admin": departments.people.id,
    };
    for (const role of ORGANIZATION_ROLES) {
      const [firstName, lastName] = PEOPLE[role.key] ?? ["Demo", role.name];
      const email = `${role.key}@${DEMO_DOMAIN}`;
      const user = await createUser(tx, {
        email,
        password,
        firstName,
        lastName,
        emailVerified: true,
        timezone: "Europe/London",
      });
      await addMember(tx, org.id, {
        userId: user.id,
        roleKeys: role.key === "learner" ? ["learner"] : ["learner", role.key],
        departmentId: departmentOf[role.key] ?? null,
        title: role.name,
        source: "seed",
      });
      users[role.key] = user.id;
      logins.push({ email, role: role.key, name: `${firstName} ${lastName}` });
    }
    await tx.db
      .updateTable("departments")
      .set({ head_user_id: users["department-admin"] ?? null })
      .where("id", "=", departments.engineering.id)
      .execute();
    step("teams");
    const platformTeam = await createTeam(tx, org.id, {
      name: "Platform Team",
      departmentId: departments.engineering.id,
      managerUserId: users.manager,
      description: "Builds and runs the internal platform",
    });
    await createTeam(tx, org.id, { name: "Field Sales", departmentId: departments.sales.id });
    const onboarding = await createTeam(tx, org.id, {
      name: "Onboarding",
      departmentId: departments.people.id,
    });
    for (const key of ["manager"])
      await addTeamMember(tx, org.id, platformTeam.id, users[key] as string, "lead");
    for (const key of ["learner", "teaching-assistant", "instructor"]) {
      await addTeamMember(tx, org.id, platformTeam.id, users[key] as string, "member");
    }
    await addTeamMember(tx, org.id, onboarding.id, users["hr-admin"] as string, "lead");
    step("platform administrator");
    const admin = await createUser(tx, {
      email: "admin@lyceum.local",
      password,
      firstName: "Pat",
      lastName: "Platform",
      emailVerified: true,
    });
    const platformAdmin = await roleIdByKey(tx.db, null, "platform-admin");
    if (platformAdmin) {
      await tx.db
        .insertInto("user_roles")
        .values({ user_id: admin.id, role_id: platformAdmin, assigned_at: tx.clock.now() })
        .execute();
    }
    logins.unshift({ email: admin.email, role: "platform-admin", name: "Pat Platform" });
    step("courses");
    await seedDemoCourses(tx, org.id, users.instructor as string);
    step("learning");
    await seedDemoLearning(tx, org.id, users);
    await seedDemoAssessments(tx, org.id, users);
    await seedDemoReports(tx, org.id, users);
    step("integrations");
    await seedDemoIntegrations(tx, org.id, users, password);
    return { created: true, organizationId: org.id, password, logins };
  });
}
