import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The allowed direction between modules (docs/ARCHITECTURE.md "Layers"). Lowest first: a
 * module may import from modules in lower layers only, never from its own layer or above.
 * Where a lower module needs a higher one's answer, invert it: an event, or a function passed
 * in when the application is wired (app.ts). A new module must be placed here.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["access", "notifications"],
  ["identity"],
  ["organizations"],
  ["events"],
  ["catalog"],
  ["cohorts"],
  ["enrollment"],
  ["progress"],
  ["assessments"],
  ["certificates", "feedback"],
  ["reports"],
  ["integrations", "scim", "compliance", "audit", "system", "webhooks", "privacy"],
  // Workflows run the approvals of the modules below (compliance exemptions included).
  ["workflows"],
];

const MODULES_DIR = path.dirname(fileURLToPath(import.meta.url));

function layerOf(module: string): number {
  return LAYERS.findIndex((layer) => layer.includes(module));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** Every relative module specifier in a file: static imports, re-exports and import(). */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns)
    for (const match of source.matchAll(pattern)) if (match[1]) found.push(match[1]);
  return found.filter((s) => s.startsWith("."));
}

interface Edge {
  file: string;
  from: string;
  to: string;
}

/** Imports from one module into another, read from the sources (tests excluded). */
function crossModuleImports(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(MODULES_DIR)) {
    const from = path.relative(MODULES_DIR, file).split(path.sep)[0] as string;
    for (const spec of specifiers(readFileSync(file, "utf8"))) {
      const target = path.relative(MODULES_DIR, path.resolve(path.dirname(file), spec));
      const to = target.split(path.sep)[0] as string;
      if (target.startsWith("..") || to === from || !target.includes(path.sep)) continue;
      edges.push({ file: path.relative(MODULES_DIR, file), from, to });
    }
  }
  return edges;
}

describe("module layers", () => {
  it("places every module in a layer", () => {
    const modules = readdirSync(MODULES_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(modules.length).toBeGreaterThan(10);
    expect(modules.filter((m) => layerOf(m) < 0)).toEqual([]);
  });

  it("reads the imports between modules", () => {
    const edges = crossModuleImports();
    // A known downward import, so the check cannot pass by reading nothing.
    expect(edges).toContainEqual({ file: "progress/tracking.ts", from: "progress", to: "catalog" });
  });

  it("lets modules import only from lower layers", () => {
    const upward = crossModuleImports()
      .filter((edge) => layerOf(edge.to) >= layerOf(edge.from))
      .map((edge) => `${edge.file} imports ${edge.to} (${edge.from} is not above ${edge.to})`);
    expect(upward).toEqual([]);
  });
});
