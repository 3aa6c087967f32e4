import { DOMParser, type Element as XmlElement } from "@xmldom/xmldom";
import type { QuestionDefinition } from "./questions.js";

/**
 * Reads IMS QTI 3.0 assessment items (and their QTI 2.x spelling) into question definitions:
 * choice interactions become multiple choice (one right choice), multiple select (several), or
 * true/false (two choices reading True and False). Other interactions are reported, not guessed.
 * No external entity or DTD is ever fetched.
 */

export interface QtiItem {
  identifier: string;
  title: string;
  question?: QuestionDefinition;
  /** Why the item could not be read. */
  problem?: string;
}

/** QTI 3.0 element names and their QTI 2.x equivalents. */
const NAMES: Record<string, string[]> = {
  item: ["qti-assessment-item", "assessmentItem"],
  response: ["qti-response-declaration", "responseDeclaration"],
  correct: ["qti-correct-response", "correctResponse"],
  value: ["qti-value", "value"],
  outcome: ["qti-outcome-declaration", "outcomeDeclaration"],
  defaultValue: ["qti-default-value", "defaultValue"],
  body: ["qti-item-body", "itemBody"],
  choice: ["qti-choice-interaction", "choiceInteraction"],
  simpleChoice: ["qti-simple-choice", "simpleChoice"],
  prompt: ["qti-prompt", "prompt"],
  inlineFeedback: ["qti-feedback-inline", "feedbackInline"],
  modalFeedback: ["qti-modal-feedback", "modalFeedback"],
  processing: ["qti-response-processing", "responseProcessing"],
};
const INTERACTION = /(-interaction|Interaction)$/;

function named(el: XmlElement, kind: keyof typeof NAMES): boolean {
  return (NAMES[kind] ?? []).includes(el.localName ?? "");
}

function descendants(el: XmlElement, kind: keyof typeof NAMES): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (node: XmlElement) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType !== 1) continue;
      const element = child as XmlElement;
      if (named(element, kind)) out.push(element);
      walk(element);
    }
  };
  walk(el);
  return out;
}

function first(el: XmlElement, kind: keyof typeof NAMES): XmlElement | undefined {
  return descendants(el, kind)[0];
}

/** Visible text, whitespace collapsed, leaving out the given kinds of descendants. */
function text(el: XmlElement | undefined, skip: Array<keyof typeof NAMES> = []): string {
  if (!el) return "";
  let out = "";
  const walk = (node: XmlElement) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3 || child.nodeType === 4) out += child.nodeValue ?? "";
      else if (child.nodeType === 1) {
        const element = child as XmlElement;
        if (skip.some((k) => named(element, k))) continue;
        if (["br", "p", "div", "li"].includes(element.localName ?? "")) out += " ";
        walk(element);
      }
    }
  };
  walk(el);
  return out.replace(/\s+/g, " ").trim();
}

function points(item: XmlElement): number {
  for (const outcome of descendants(item, "outcome")) {
    if (outcome.getAttribute("identifier") !== "MAXSCORE") continue;
    const n = Number(text(first(outcome, "defaultValue")));
    if (Number.isFinite(n) && n >= 0 && n <= 1000) return n;
  }
  return 1;
}

function readItem(item: XmlElement): QtiItem {
  const identifier = item.getAttribute("identifier") || "item";
  const title = (item.getAttribute("title") || identifier).slice(0, 255);
  const fail = (problem: string): QtiItem => ({ identifier, title, problem });
  const body = first(item, "body");
  if (!body) return fail("The item has no item body");
  const interactions = [] as XmlElement[];
  const collect = (node: XmlElement) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType !== 1) continue;
      const element = child as XmlElement;
      if (INTERACTION.test(element.localName ?? "")) interactions.push(element);
      else collect(element);
    }
  };
  collect(body);
  if (interactions.length !== 1)
    return fail(`Only items with one interaction are read (this one has ${interactions.length})`);
  const interaction = interactions[0] as XmlElement;
  if (!named(interaction, "choice"))
    return fail(`${interaction.localName} is not supported; choice interactions are`);
  const responseId =
    interaction.getAttribute("response-identifier") ||
    interaction.getAttribute("responseIdentifier");
  const declaration = descendants(item, "response").find(
    (d) => d.getAttribute("identifier") === responseId,
  );
  if (!declaration) return fail(`No response declaration for ${responseId}`);
  const correctIds = new Set(
    descendants(first(declaration, "correct") ?? declaration, "value").map((v) => text(v)),
  );
  if (!first(declaration, "correct") || !correctIds.size)
    return fail("The item has no correct response");
  const choices = descendants(interaction, "simpleChoice").map((c) => ({
    id: (c.getAttribute("identifier") || "").slice(0, 40),
    text: text(c, ["inlineFeedback"]).slice(0, 2000),
    feedback: text(first(c, "inlineFeedback")).slice(0, 2000) || undefined,
  }));
  if (choices.length < 2) return fail("A choice interaction needs at least two choices");
  if (choices.some((c) => !c.id || !c.text))
    return fail("Every choice needs an identifier and text");
  const prompt =
    text(first(interaction, "prompt")) || text(body, ["choice", "inlineFeedback", "modalFeedback"]);
  if (!prompt) return fail("The item has no prompt");
  const explanation = descendants(item, "modalFeedback")
    .map((m) => text(m))
    .join(" ")
    .slice(0, 5000);
  const common = {
    text: prompt.slice(0, 20_000),
    points: points(item),
    negativePoints: 0,
    hints: [],
    skillIds: [],
    ...(explanation ? { explanation } : {}),
  };
  const cardinality = declaration.getAttribute("cardinality") ?? "single";
  const labels = choices.map((c) => c.text.toLowerCase());
  if (
    cardinality === "single" &&
    choices.length === 2 &&
    labels.includes("true") &&
    labels.includes("false")
  ) {
    const right = choices.find((c) => correctIds.has(c.id));
    return {
      identifier,
      title,
      question: { ...common, type: "true-false", correct: right?.text.toLowerCase() === "true" },
    };
  }
  const options = choices.map((c) => ({
    id: c.id,
    text: c.text,
    correct: correctIds.has(c.id),
    ...(c.feedback ? { feedback: c.feedback } : {}),
  }));
  if (cardinality === "multiple") {
    const template = first(item, "processing")?.getAttribute("template") ?? "";
    return {
      identifier,
      title,
      question: {
        ...common,
        type: "multiple-select",
        options,
        // map_response scores each choice; match_correct is all or nothing.
        partialCredit: /map_response/.test(template),
      },
    };
  }
  return { identifier, title, question: { ...common, type: "multiple-choice", options } };
}

/** Every assessment item in a QTI XML document (an item file, or several items in one). */
export function parseQti(xml: string): QtiItem[] {
  if (/<!DOCTYPE/i.test(xml)) throw new Error("Documents with a DOCTYPE are not read");
  const problems: string[] = [];
  let doc: ReturnType<DOMParser["parseFromString"]>;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") problems.push(message);
      },
    }).parseFromString(xml, "text/xml");
  } catch (error) {
    throw new Error(`Not well-formed XML: ${(error as Error).message}`);
  }
  if (problems.length) throw new Error(`Not well-formed XML: ${problems[0]}`);
  const root = doc.documentElement;
  if (!root) throw new Error("The document is empty");
  const items = named(root, "item") ? [root] : descendants(root, "item");
  if (!items.length) throw new Error("No qti-assessment-item in the document");
  return items.map(readItem);
}
