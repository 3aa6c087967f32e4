import { credentialKeys, reencryptCredentials } from "../modules/integrations/integrations.js";
import { reencryptWebhookSecrets } from "../modules/integrations/webhooks/secrets.js";
import { openForCli } from "./runtime.js";

/**
 * `lyceum secrets reencrypt`: after LYCEUM_SECRET changed (the old one moved to
 * LYCEUM_SECRET_PREVIOUS), re-seals every stored credential with the current key so the old
 * secret can be dropped. Exits non-zero when some could not be opened.
 */
export async function secretsReencryptCommand(): Promise<void> {
  const { ctx, close } = await openForCli();
  try {
    const result = await reencryptCredentials(ctx, ctx);
    console.log(
      `Re-encrypted ${result.reencrypted} stored credential${result.reencrypted === 1 ? "" : "s"} with key ${ctx.secrets.keyId}.`,
    );
    for (const failure of result.failed)
      console.error(`  integration ${failure.id}: ${failure.reason}`);
    const webhooks = await reencryptWebhookSecrets(ctx, ctx);
    console.log(
      `Re-encrypted ${webhooks.reencrypted} webhook signing secret${webhooks.reencrypted === 1 ? "" : "s"}.`,
    );
    for (const failure of webhooks.failed)
      console.error(`  integration ${failure.id} (webhook secret): ${failure.reason}`);
    if (result.failed.length || webhooks.failed.length) process.exitCode = 1;
  } finally {
    await close();
  }
}

/** `lyceum secrets status`: how many stored credentials each key sealed. */
export async function secretsStatusCommand(): Promise<void> {
  const { ctx, close } = await openForCli();
  try {
    const keys = await credentialKeys(ctx);
    console.log(`Current key: ${ctx.secrets.keyId}`);
    if (!keys.length) console.log("No stored credentials.");
    for (const k of keys)
      console.log(
        `  ${k.keyId}: ${k.count} credential${k.count === 1 ? "" : "s"}${k.keyId === ctx.secrets.keyId ? " (current)" : " (re-encrypt with `lyceum secrets reencrypt`)"}`,
      );
  } finally {
    await close();
  }
}
