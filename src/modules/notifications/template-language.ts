/**
 * The template language of notification texts: `{{name}}` inserts a variable, and
 * `{{#if name}}…{{else}}…{{/if}}` keeps one part or the other depending on whether the
 * variable has a value (anything but missing, null, false or an empty string). Nothing else:
 * no expressions, no calls, no loops, so a template can never run code. Values are inserted
 * as text; the mail layout escapes them for HTML.
 */

export type TemplateValue = string | number | boolean | null | undefined;
export type TemplateValues = Record<string, TemplateValue>;

type Node =
  | { kind: "text"; text: string }
  | { kind: "var"; name: string }
  | { kind: "if"; name: string; yes: Node[]; otherwise: Node[] };

export class TemplateSyntaxError extends Error {}

const TAG = /\{\{\s*(#if\s+([A-Za-z][A-Za-z0-9]*)|else|\/if|([A-Za-z][A-Za-z0-9]*))\s*\}\}/g;

/** Parses a template, or throws TemplateSyntaxError saying what is wrong. */
export function parseTemplate(source: string): Node[] {
  const root: Node[] = [];
  const stack: { node: Extract<Node, { kind: "if" }>; inElse: boolean }[] = [];
  const target = () => {
    const top = stack[stack.length - 1];
    return top ? (top.inElse ? top.node.otherwise : top.node.yes) : root;
  };
  const text = (s: string) => {
    if (s.includes("{{") || s.includes("}}"))
      throw new TemplateSyntaxError(
        "A template tag is malformed: use {{name}}, {{#if name}}, {{else}} or {{/if}}",
      );
    if (s) target().push({ kind: "text", text: s });
  };
  let last = 0;
  for (const match of source.matchAll(TAG)) {
    text(source.slice(last, match.index));
    last = (match.index ?? 0) + match[0].length;
    if (match[2]) {
      const node: Extract<Node, { kind: "if" }> = {
        kind: "if",
        name: match[2],
        yes: [],
        otherwise: [],
      };
      target().push(node);
      stack.push({ node, inElse: false });
    } else if (match[1] === "else") {
      const top = stack[stack.length - 1];
      if (!top || top.inElse) throw new TemplateSyntaxError("{{else}} without an open {{#if}}");
      top.inElse = true;
    } else if (match[1] === "/if") {
      if (!stack.pop()) throw new TemplateSyntaxError("{{/if}} without an open {{#if}}");
    } else if (match[3]) {
      target().push({ kind: "var", name: match[3] });
    }
  }
  text(source.slice(last));
  if (stack.length) throw new TemplateSyntaxError("An {{#if}} is never closed with {{/if}}");
  return root;
}

/** The variable names a template uses, in order of first use. */
export function variablesOf(source: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      if (n.kind === "var") names.add(n.name);
      if (n.kind === "if") {
        names.add(n.name);
        walk(n.yes);
        walk(n.otherwise);
      }
    }
  };
  walk(parseTemplate(source));
  return [...names];
}

function present(value: TemplateValue): boolean {
  return value !== undefined && value !== null && value !== false && value !== "";
}

function show(value: TemplateValue): string {
  return present(value) ? String(value) : "";
}

/** Renders a template with values; variables without a value render as nothing. */
export function renderTemplate(source: string, values: TemplateValues): string {
  const walk = (nodes: Node[]): string =>
    nodes
      .map((n) => {
        if (n.kind === "text") return n.text;
        const value = Object.hasOwn(values, n.name) ? values[n.name] : undefined;
        if (n.kind === "var") return show(value);
        return walk(present(value) ? n.yes : n.otherwise);
      })
      .join("");
  return walk(parseTemplate(source));
}
