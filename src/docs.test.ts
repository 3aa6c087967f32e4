import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "./platform/http/errors.js";

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), "utf8");

describe("documentation stays in step with the code", () => {
  it("documents every error code with its status in docs/api.md", () => {
    const guide = read("docs/api.md");
    const missing = Object.entries(ERROR_CODES).filter(
      ([code, status]) => !new RegExp(`\\| ${code} \\| ${status} \\|`).test(guide),
    );
    expect(missing.map(([code]) => code)).toEqual([]);
  });

  it("documents every environment variable in the README", async () => {
    const { envSchema } = await import("./config.js");
    const readme = read("README.md");
    const missing = Object.keys(envSchema.shape).filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it("writes every report measure's exact definition in docs/api.md", async () => {
    const { MEASURES } = await import("./modules/reports/registry.js");
    const guide = read("docs/api.md");
    const missing = Object.entries(MEASURES).filter(
      ([type, m]) => !guide.includes(`| \`${type}\` | ${m.bases.join(", ")} | ${m.definition} |`),
    );
    expect(missing.map(([type]) => type)).toEqual([]);
  });
});
