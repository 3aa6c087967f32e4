import { describe, expect, it } from "vitest";
import de from "../../i18n/de/privacy";
import en from "../../i18n/en/privacy";
import {
  confirmationMatches,
  overduePolicies,
  requestActions,
  retainDaysProblem,
} from "./privacyRules";

describe("a retention policy's days", () => {
  it("must be whole and at least the category's minimum", () => {
    expect(retainDaysProblem(365, 365)).toBeNull();
    expect(retainDaysProblem(364, 365)).toBe("retention.tooFew");
    expect(retainDaysProblem(30.5, 30)).toBe("retention.wholeDays");
    expect(retainDaysProblem("", 30)).toBe("retention.wholeDays");
  });

  it("counts the policies due for review", () => {
    expect(overduePolicies([{ reviewOverdue: true }, { reviewOverdue: false }])).toBe(1);
  });
});

describe("the typed confirmation of an erasure", () => {
  it("matches the name ignoring case and extra spaces, never an empty one", () => {
    expect(confirmationMatches("  ada   lovelace ", "Ada Lovelace")).toBe(true);
    expect(confirmationMatches("Ada Lovelac", "Ada Lovelace")).toBe(false);
    expect(confirmationMatches("", "")).toBe(false);
  });
});

describe("what can be done with a request", () => {
  const base = { scope: "organization" as const, file: null };
  it("lets only platform administrators process a waiting export or erasure", () => {
    const waiting = { ...base, type: "export" as const, status: "requested" as const };
    expect(requestActions(waiting, false)).toEqual({
      process: false,
      reject: true,
      lift: false,
      download: false,
    });
    expect(requestActions(waiting, true).process).toBe(true);
  });

  it("downloads a completed export with a file and lifts a restriction in force", () => {
    const file = { size: 10, checksum: "abc", expiresAt: null };
    expect(
      requestActions({ ...base, type: "export", status: "completed", file }, false).download,
    ).toBe(true);
    expect(requestActions({ ...base, type: "export", status: "completed" }, false).download).toBe(
      false,
    );
    const restriction = { ...base, type: "restriction" as const, status: "completed" as const };
    expect(requestActions(restriction, false)).toEqual({
      process: false,
      reject: false,
      lift: true,
      download: false,
    });
    expect(requestActions({ ...restriction, status: "lifted" }, false).lift).toBe(false);
  });

  it("does not let an organization reject a person's own account request", () => {
    const own = { scope: "account" as const, file: null, type: "erasure" as const };
    expect(requestActions({ ...own, status: "requested" }, false).reject).toBe(false);
  });
});

describe("the privacy texts", () => {
  it("have the same keys in English and German", () => {
    const keys = (o: object, prefix = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === "object" ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(de).sort()).toEqual(keys(en).sort());
  });
});
