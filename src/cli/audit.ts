import { sealAllAuditChains, verifyAuditChains } from "../platform/audit/chain.js";
import { openForCli } from "./runtime.js";

/**
 * `lyceum audit verify`: seals the records written since the last seal (unless --no-seal), then
 * walks each organization's hash chain and says, per chain, how many records hold and where the
 * first one that does not is. Exits 1 when any chain is broken, 2 when the organization is unknown.
 */
export async function auditVerifyCommand(opts: { org?: string; seal: boolean }): Promise<void> {
  const { ctx, close } = await openForCli();
  try {
    let organizationId: string | undefined;
    if (opts.org) {
      const org = await ctx.db
        .selectFrom("organizations")
        .select("id")
        .where("slug", "=", opts.org)
        .executeTakeFirst();
      if (!org) {
        console.error(`No organization has the slug ${opts.org}.`);
        process.exitCode = 2;
        return;
      }
      organizationId = org.id;
    }
    if (opts.seal) {
      const sealed = await sealAllAuditChains(ctx);
      if (sealed) console.log(`Sealed ${sealed} record${sealed === 1 ? "" : "s"}.`);
    }
    const reports = await verifyAuditChains(ctx, organizationId ? { organizationId } : {});
    const ids = reports.map((r) => r.organizationId).filter((id): id is string => id !== null);
    const names = new Map(
      ids.length
        ? (
            await ctx.db
              .selectFrom("organizations")
              .select(["id", "slug"])
              .where("id", "in", ids)
              .execute()
          ).map((o) => [o.id, o.slug])
        : [],
    );
    if (!reports.length) console.log("No sealed audit records yet.");
    for (const r of reports) {
      const name = r.organizationId
        ? (names.get(r.organizationId) ?? r.organizationId)
        : "platform";
      const waiting = r.unsealed ? `, ${r.unsealed} not sealed yet` : "";
      if (r.ok) console.log(`${name}: intact (${r.sealed} sealed records${waiting})`);
      else
        console.log(
          `${name}: BROKEN at record ${r.broken?.seq}${r.broken?.id ? ` (${r.broken.id})` : ""}: ${r.broken?.reason}; ${r.sealed} records before it hold${waiting}`,
        );
    }
    if (reports.some((r) => !r.ok)) process.exitCode = 1;
  } finally {
    await close();
  }
}
