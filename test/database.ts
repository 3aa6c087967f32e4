import { randomBytes } from "node:crypto";
import pg from "pg";
import { connect, type DatabaseHandle } from "../src/db/connection.js";

/**
 * A fresh, empty database for one test file: an in-memory PGlite by default, or a new
 * database on the PostgreSQL server named by TEST_DATABASE_URL (dropped afterwards).
 */
export async function freshDatabase(): Promise<
  DatabaseHandle & { engineLabel: string; url?: string }
> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const handle = await connect({});
    return { ...handle, engineLabel: "pglite" };
  }
  const name = `lyceum_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await connect({ url: url.toString(), poolSize: 10 });
  return {
    ...handle,
    engineLabel: "postgres",
    url: url.toString(),
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export const ENGINE = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
