import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeRouteErrors, OUTPUT } from "../../../scripts/route-errors.js";

// A reading of the sources, the same on every database engine: it runs once, on PGlite.
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))("route-errors.json", () => {
  it("lists the codes each operation's handler can throw, as the sources are now", () => {
    const routes = JSON.parse(readFileSync(OUTPUT, "utf8")) as Record<string, string[]>;
    // Out of date: run `npm run route-errors` and commit the file.
    expect(routes).toEqual(analyzeRouteErrors());
    expect(routes["POST /api/v1/enrollments"]).toContain("ALREADY_ENROLLED");
    expect(routes["POST /api/v1/courses/:courseId/publish"]).toContain("COURSE_NOT_PUBLISHABLE");
    expect(routes["POST /api/v1/enrollments/checkout"]).toContain("PAYMENT_PROVIDER_ERROR");
  }, 120_000);
});
