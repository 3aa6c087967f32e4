import { describe, expect, it } from "vitest";
import {
  applyRules,
  fieldMappingsSchema,
  parseDate,
  transformationRulesSchema,
  validationRulesSchema,
} from "./rules.js";

describe("the rule language", () => {
  it("reads dates by format, in a time zone across daylight saving, and refuses impossible ones", () => {
    expect(parseDate("2026-03-15", "YYYY-MM-DD")).toBe("2026-03-15T00:00:00.000Z");
    expect(parseDate("15/03/2026 14:30:05", "DD/MM/YYYY HH:mm:ss")).toBe(
      "2026-03-15T14:30:05.000Z",
    );
    // New York is UTC-5 in winter and UTC-4 from 8 March 2026.
    expect(parseDate("03/07/2026 09:00", "MM/DD/YYYY HH:mm", "America/New_York")).toBe(
      "2026-03-07T14:00:00.000Z",
    );
    expect(parseDate("03/09/2026 09:00", "MM/DD/YYYY HH:mm", "America/New_York")).toBe(
      "2026-03-09T13:00:00.000Z",
    );
    expect(parseDate("31.02.2026", "DD.MM.YYYY")).toBeNull();
    expect(parseDate("2026-13-01", "YYYY-MM-DD")).toBeNull();
    expect(parseDate("15.03.2026 25:00", "DD.MM.YYYY HH:mm")).toBeNull();
    expect(parseDate("next tuesday", "YYYY-MM-DD")).toBeNull();
  });

  it("splits names either way and keeps names already mapped", () => {
    const rules = (order: "first-last" | "last-first") => ({
      fieldMappings: fieldMappingsSchema.parse([
        { source: "name", target: "person.fullName" },
        { source: "given", target: "person.firstName" },
      ]),
      transformationRules: transformationRulesSchema.parse([
        { op: "split-name", field: "person.fullName", order },
      ]),
      validationRules: [],
    });
    expect(applyRules(rules("first-last"), { name: "Mary Ann  Smith" }).record).toEqual({
      person: { firstName: "Mary Ann", lastName: "Smith" },
    });
    expect(applyRules(rules("last-first"), { name: "Smith Mary Ann" }).record).toEqual({
      person: { firstName: "Mary Ann", lastName: "Smith" },
    });
    expect(applyRules(rules("first-last"), { name: "Smith, Mary" }).record).toEqual({
      person: { firstName: "Mary", lastName: "Smith" },
    });
    expect(applyRules(rules("first-last"), { name: "Cher", given: "C." }).record).toEqual({
      person: { firstName: "C.", lastName: null },
    });
  });

  it("maps values, numbers and defaults, and reports what it cannot read", () => {
    const { record, problems } = applyRules(
      {
        fieldMappings: fieldMappingsSchema.parse([
          { source: "state", target: "status" },
          { source: "hours", target: "timeSpentMinutes" },
          { source: "cost", target: "costMinor" },
          { source: "grade", target: "grade" },
        ]),
        transformationRules: transformationRulesSchema.parse([
          { op: "map-values", field: "status", values: { "1": "completed" }, otherwise: "null" },
          { op: "number", field: "timeSpentMinutes" },
          { op: "number", field: "costMinor", decimalSeparator: "," },
          { op: "uppercase", field: "grade" },
          { op: "default", field: "currency", value: "EUR" },
        ]),
        validationRules: validationRulesSchema.parse([
          { rule: "max-length", field: "grade", max: 1 },
          { rule: "required", field: "currency" },
        ]),
      },
      { state: 2, hours: "1,250", cost: "12.345,50", grade: "b+" },
    );
    expect(record).toEqual({
      status: null,
      timeSpentMinutes: 1250,
      costMinor: 12345.5,
      grade: "B+",
      currency: "EUR",
    });
    expect(problems).toEqual([
      { field: "grade", rule: "max-length", message: "grade is longer than 1 characters" },
    ]);
    const unreadable = applyRules(
      {
        fieldMappings: fieldMappingsSchema.parse([{ source: "n", target: "score" }]),
        transformationRules: transformationRulesSchema.parse([{ op: "number", field: "score" }]),
        validationRules: [],
      },
      { n: "ninety" },
    );
    expect(unreadable.problems).toEqual([
      { field: "score", rule: "number", message: '"ninety" is not a number' },
    ]);
  });

  it("refuses patterns that do not compile or repeat a repetition", () => {
    const parse = (pattern: string) =>
      validationRulesSchema.safeParse([{ rule: "pattern", field: "grade", pattern }]).success;
    expect(parse("^[A-F][+-]?$")).toBe(true);
    expect(parse("(a+)+")).toBe(false);
    expect(parse("(\\w*)*x")).toBe(false);
    expect(parse("[unclosed")).toBe(false);
  });
});
