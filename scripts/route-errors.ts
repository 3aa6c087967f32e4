/**
 * Which error codes can each API operation answer? This reads the TypeScript sources (not the
 * running app): from each route's handler it follows every call into the project's own
 * functions, transitively, and collects the codes of the `new AppError("CODE", …)` they
 * contain. The result, `src/platform/http/route-errors.json`, is what the OpenAPI document
 * lists per operation besides the statuses every operation shares (server.ts, decorateSchema).
 *
 *   npm run route-errors           rewrite the file (then commit it)
 *   (src/platform/http/route-errors.test.ts fails while the file is out of date)
 *
 * It over-approximates (a function reached on any path counts) rather than misses; what it
 * cannot see — a call through an interface such as a payment provider — a route adds with
 * `config.errors`.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(import.meta.dirname, "..");
export const OUTPUT = path.join(ROOT, "src/platform/http/route-errors.json");
const METHODS = new Set(["get", "post", "put", "patch", "delete"]);
const PREFIX = "/api/v1";

/** Codes per operation ("METHOD /api/v1/…"), sorted, as the JSON file holds them. */
export function analyzeRouteErrors(): Record<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, "tsconfig.json"),
    {},
    ts.sys as unknown as ts.ParseConfigFileHost,
  );
  if (!config) throw new Error("tsconfig.json not readable");
  const files = config.fileNames.filter(
    (f) => f.includes(`${path.sep}src${path.sep}`) && !f.endsWith(".test.ts"),
  );
  const program = ts.createProgram(files, config.options);
  const checker = program.getTypeChecker();
  const memo = new Map<ts.Node, Set<string>>();

  // Calls through an interface (a payment provider, storage, a grader) may run any class that
  // implements it: interface name → its classes.
  const implementations = new Map<string, ts.ClassDeclaration[]>();
  for (const file of program.getSourceFiles()) {
    if (!files.includes(file.fileName)) continue;
    ts.forEachChild(file, (node) => {
      if (!ts.isClassDeclaration(node)) return;
      for (const clause of node.heritageClauses ?? [])
        for (const type of clause.types) {
          const name = type.expression.getText();
          implementations.set(name, [...(implementations.get(name) ?? []), node]);
        }
    });
  }
  const implementing = (member: ts.Node): ts.Node[] => {
    const owner = member.parent;
    const name = (member as ts.MethodSignature).name?.getText();
    if (!owner || !ts.isInterfaceDeclaration(owner) || !name) return [];
    return (implementations.get(owner.name.text) ?? []).flatMap((cls) =>
      cls.members.filter((m) => ts.isMethodDeclaration(m) && m.name.getText() === name),
    );
  };

  const ownSource = (node: ts.Node) => {
    const file = node.getSourceFile().fileName;
    return file.startsWith(path.join(ROOT, "src")) && !file.includes("node_modules");
  };

  /** The function-like bodies a called or referenced expression stands for. */
  const targets = (expression: ts.Expression): ts.Node[] => {
    let symbol = checker.getSymbolAtLocation(expression);
    if (!symbol) return [];
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const found: ts.Node[] = [];
    for (const declaration of symbol.declarations ?? []) {
      if (!ownSource(declaration)) continue;
      const looped = loopElements(declaration);
      if (looped) {
        for (const element of looped) found.push(...targets(element));
        continue;
      }
      if (ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) {
        found.push(...implementing(declaration));
      } else if (
        ts.isFunctionDeclaration(declaration) ||
        ts.isMethodDeclaration(declaration) ||
        ts.isArrowFunction(declaration) ||
        ts.isFunctionExpression(declaration)
      ) {
        found.push(declaration);
      } else if (
        (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration)) &&
        declaration.initializer
      ) {
        found.push(declaration.initializer);
      }
    }
    return found;
  };

  const codesOf = (root: ts.Node, stack: Set<ts.Node>): Set<string> => {
    const known = memo.get(root);
    if (known) return known;
    if (stack.has(root)) return new Set();
    stack.add(root);
    const codes = new Set<string>();
    const visit = (node: ts.Node) => {
      if (
        ts.isNewExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === "AppError"
      ) {
        const first = node.arguments?.[0];
        if (first && ts.isStringLiteralLike(first)) codes.add(first.text);
        else if (first) {
          const type = checker.getTypeAtLocation(first);
          const literals = (type.isUnion() ? type.types : [type]).filter((t) =>
            t.isStringLiteral(),
          );
          if (literals.length && literals.length <= 12)
            for (const t of literals) codes.add((t as ts.StringLiteralType).value);
        }
      }
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        for (const target of targets(node.expression))
          for (const code of codesOf(target, stack)) codes.add(code);
      }
      // A function passed by name (a callback, an error mapper) may run too.
      if (ts.isIdentifier(node) && node.parent && ts.isCallExpression(node.parent)) {
        if (node.parent.arguments.includes(node as ts.Expression)) {
          for (const target of targets(node))
            for (const code of codesOf(target, stack)) codes.add(code);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
    stack.delete(root);
    memo.set(root, codes);
    return codes;
  };

  const routes: Record<string, string[]> = {};
  for (const file of program.getSourceFiles()) {
    if (!files.includes(file.fileName)) continue;
    const visit = (node: ts.Node) => {
      const methods = ts.isCallExpression(node) ? methodsOf(node.expression) : [];
      if (ts.isCallExpression(node) && methods.length && node.arguments.length >= 2) {
        const urls = valuesOf(node.arguments[0] as ts.Expression);
        const handler = node.arguments[node.arguments.length - 1];
        for (const url of urls) {
          if (!url.startsWith(PREFIX) || !handler) continue;
          const codes = [...codesOf(handler, new Set())].sort();
          for (const method of methods) routes[`${method.toUpperCase()} ${url}`] = codes;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  /** `app.post` → ["post"]; `app[method]` in a loop → each method. */
  function methodsOf(callee: ts.Expression): string[] {
    if (ts.isPropertyAccessExpression(callee) && METHODS.has(callee.name.text))
      return [callee.name.text];
    if (ts.isElementAccessExpression(callee))
      return valuesOf(callee.argumentExpression).filter((m) => METHODS.has(m));
    return [];
  }

  /** Every string an expression can be: literals, consts, templates, loop variables. */
  function valuesOf(node: ts.Expression): string[] {
    if (ts.isAsExpression(node) || ts.isParenthesizedExpression(node))
      return valuesOf(node.expression);
    if (ts.isStringLiteralLike(node)) return [node.text];
    if (ts.isTemplateExpression(node)) {
      let texts = [node.head.text];
      for (const span of node.templateSpans) {
        const values =
          ts.isIdentifier(span.expression) && span.expression.text === "API_PREFIX"
            ? [PREFIX]
            : valuesOf(span.expression);
        texts = texts.flatMap((t) => values.map((v) => t + v + span.literal.text));
      }
      return texts;
    }
    if (ts.isIdentifier(node)) {
      if (node.text === "API_PREFIX") return [PREFIX];
      const symbol = checker.getSymbolAtLocation(node);
      const declaration = symbol?.declarations?.[0];
      if (!declaration) return [];
      const looped = loopElements(declaration);
      if (looped) return looped.flatMap(valuesOf);
      if (ts.isVariableDeclaration(declaration) && declaration.initializer)
        return valuesOf(declaration.initializer);
    }
    return [];
  }

  return Object.fromEntries(Object.entries(routes).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * For a variable bound by `for (const x of [a, b])` or `for (const [x, y] of [[a, b], …])`,
 * the expressions it takes in turn; null for any other declaration.
 */
function loopElements(declaration: ts.Node): ts.Expression[] | null {
  let index = -1;
  let node: ts.Node = declaration;
  if (ts.isBindingElement(node) && ts.isArrayBindingPattern(node.parent)) {
    index = node.parent.elements.indexOf(node);
    node = node.parent.parent;
  }
  if (!ts.isVariableDeclaration(node)) return null;
  const list = node.parent;
  const loop = list?.parent;
  if (!loop || !ts.isForOfStatement(loop) || loop.initializer !== list) return null;
  let array = loop.expression;
  while (ts.isAsExpression(array) || ts.isParenthesizedExpression(array)) array = array.expression;
  if (!ts.isArrayLiteralExpression(array)) return null;
  return array.elements.flatMap((element) => {
    if (index < 0) return [element];
    let tuple = element;
    while (ts.isAsExpression(tuple)) tuple = tuple.expression;
    const item = ts.isArrayLiteralExpression(tuple) ? tuple.elements[index] : undefined;
    return item ? [item] : [];
  });
}

/** The file's text for the analysis: one operation per line, so diffs read well. */
export function renderRouteErrors(routes: Record<string, string[]>): string {
  const lines = Object.entries(routes).map(
    ([key, codes]) => `  ${JSON.stringify(key)}: ${JSON.stringify(codes)}`,
  );
  return `{\n${lines.join(",\n")}\n}\n`;
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  writeFileSync(OUTPUT, renderRouteErrors(analyzeRouteErrors()));
  // The repository's formatter has the last word on the layout.
  execFileSync(path.join(ROOT, "node_modules/.bin/biome"), ["format", "--write", OUTPUT]);
  console.log(`wrote ${path.relative(ROOT, OUTPUT)}`);
}
