// The web app's API types (web/src/api/schema.d.ts), generated from the OpenAPI document of
// the app built in this process: no server needs to run. The file is committed; a test
// (test/web-api-types.test.ts) fails while it differs from what the routes describe.
//
//   npm run web:api-types          regenerate
//   npm run web:api-types -- --check   exit 1 when the committed file is stale
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { createTestApp } from "../test/harness.js";

export const SCHEMA_FILE = fileURLToPath(new URL("../web/src/api/schema.d.ts", import.meta.url));

const HEADER = `// Generated from Lyceum's OpenAPI document by \`npm run web:api-types\`; do not edit.\n\n`;

/** The TypeScript types of an OpenAPI document, as written to schema.d.ts. */
export async function renderApiTypes(document: unknown): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], {
    alphabetize: true,
  });
  return HEADER + astToString(ast);
}

/** Builds the app in-process (embedded database) and renders its API types. */
export async function currentApiTypes(): Promise<string> {
  const t = await createTestApp({ web: null });
  try {
    return await renderApiTypes(t.lyceum.app.swagger());
  } finally {
    await t.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const types = await currentApiTypes();
  if (process.argv.includes("--check")) {
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    if (committed !== types) {
      console.error("web/src/api/schema.d.ts is stale: run npm run web:api-types");
      process.exit(1);
    }
    console.log("web/src/api/schema.d.ts is current");
  } else {
    writeFileSync(SCHEMA_FILE, types);
    console.log(`wrote ${SCHEMA_FILE}`);
  }
}
