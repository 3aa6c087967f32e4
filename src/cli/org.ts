import { createOrganization } from "../modules/organizations/service.js";
import { openForCli } from "./runtime.js";

export async function orgCreateCommand(options: {
  name: string;
  slug?: string;
  domain?: string;
  seats?: number;
  adminEmail?: string;
}): Promise<void> {
  const { ctx, close } = await openForCli();
  try {
    let adminUserId: string | null = null;
    if (options.adminEmail) {
      const admin = await ctx.db
        .selectFrom("users")
        .select("id")
        .where("email", "=", options.adminEmail.toLowerCase())
        .executeTakeFirst();
      if (!admin)
        throw new Error(
          `no account with email ${options.adminEmail}; create it with 'lyceum user create'`,
        );
      adminUserId = admin.id;
    }
    const org = await createOrganization(ctx, {
      name: options.name,
      slug: options.slug,
      domain: options.domain ?? null,
      autoJoin: Boolean(options.domain),
      seatsPurchased: options.seats ?? null,
      adminUserId,
    });
    console.log(`Created organization ${org.name} (slug ${org.slug}, id ${org.id}).`);
  } finally {
    await close();
  }
}
