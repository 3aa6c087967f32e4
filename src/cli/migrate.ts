import { createLogger, openDatabase, syncReferenceData } from "../app.js";
import { loadConfig } from "../config.js";
import { migrate } from "../db/migrate.js";

export async function migrateCommand(): Promise<void> {
  const config = loadConfig();
  createLogger(config);
  const handle = await openDatabase(config, 1);
  try {
    console.log(
      `Migrating ${config.database.url ? "the PostgreSQL server" : `PGlite in ${config.dataDir}`} …`,
    );
    const result = await migrate(handle, {
      onProgress: (name, index, total) => console.log(`  [${index}/${total}] ${name}`),
    });
    const reference = await syncReferenceData(handle);
    console.log(
      `Done: ${result.applied.length} applied, ${result.alreadyApplied} already applied; ` +
        `${reference.permissions.length} new permissions, ${reference.lookupValues} new lookup values.`,
    );
  } finally {
    await handle.close();
  }
}
