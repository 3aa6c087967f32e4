import { assignRole } from "../modules/access/assignments.js";
import { roleIdByKey } from "../modules/access/provision.js";
import { createUser } from "../modules/identity/auth.js";
import { addMember } from "../modules/organizations/service.js";
import { inTransaction } from "../platform/context.js";
import { generateDemoPassword } from "../seed/demo.js";
import { openForCli } from "./runtime.js";

export async function userCreateCommand(options: {
  email: string;
  firstName: string;
  lastName: string;
  password?: string;
  platformAdmin?: boolean;
  org?: string;
  role: string;
}): Promise<void> {
  const { ctx, close } = await openForCli();
  try {
    const password = options.password ?? generateDemoPassword();
    const user = await inTransaction(ctx, async (tx) => {
      const created = await createUser(tx, {
        email: options.email,
        password,
        firstName: options.firstName,
        lastName: options.lastName,
        emailVerified: true,
      });
      if (options.platformAdmin) {
        const roleId = await roleIdByKey(tx.db, null, "platform-admin");
        await tx.db
          .insertInto("user_roles")
          .values({ user_id: created.id, role_id: roleId as string })
          .execute();
      }
      if (options.org) {
        const org = await tx.db
          .selectFrom("organizations")
          .select("id")
          .where("slug", "=", options.org)
          .executeTakeFirst();
        if (!org) throw new Error(`no organization with slug ${options.org}`);
        await addMember(tx, org.id, { userId: created.id, roleKeys: ["learner"] });
        if (options.role !== "learner")
          await assignRole(tx, {
            organizationId: org.id,
            userId: created.id,
            roleKey: options.role,
          });
      }
      return created;
    });
    console.log(`Created ${user.email} (${user.id}).`);
    if (!options.password) console.log(`Password: ${password}  (shown once)`);
  } finally {
    await close();
  }
}
