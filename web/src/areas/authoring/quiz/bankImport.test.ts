import { describe, expect, it } from "vitest";
import { importRequest } from "./bankImport";

describe("what a bank import sends", () => {
  it("sends one JSON export as it is, and QTI files as documents", () => {
    expect(importRequest([{ name: "a.json", text: ' {"format":"x"}' }])).toEqual({
      kind: "json",
      body: { format: "x" },
    });
    expect(
      importRequest([
        { name: "1.xml", text: "<qti-assessment-item/>" },
        { name: "2.xml", text: "\n<?xml version='1.0'?><qti-assessment-item/>" },
      ]),
    ).toEqual({
      kind: "qti",
      documents: ["<qti-assessment-item/>", "\n<?xml version='1.0'?><qti-assessment-item/>"],
    });
  });

  it("refuses mixed, several JSON, broken JSON and unknown files before sending", () => {
    const json = { name: "a.json", text: "{}" };
    const xml = { name: "1.xml", text: "<x/>" };
    expect(importRequest([json, xml])).toEqual({ problem: "mixed" });
    expect(importRequest([json, { ...json, name: "b.json" }])).toEqual({ problem: "oneJson" });
    expect(importRequest([{ name: "c.json", text: "{oops" }])).toEqual({
      problem: "notJson",
      name: "c.json",
    });
    expect(importRequest([{ name: "notes.txt", text: "hello" }])).toEqual({
      problem: "unknown",
      name: "notes.txt",
    });
  });
});
