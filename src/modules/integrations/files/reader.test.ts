import { describe, expect, it } from "vitest";
import { readRow } from "./mapping.js";
import { FILE_PAGE, fileConnector } from "./reader.js";

const COLUMNS = [
  "email",
  "course",
  "title",
  "progress",
  "started",
  "cost",
  "currency",
  "attempts",
  "certificate",
];
const MAPPING = {
  email: "email",
  courseExternalId: "course",
  courseTitle: "title",
  progressPercent: "progress",
  startedAt: "started",
  cost: "cost",
  currency: "currency",
  attempts: "attempts",
  certificateUrl: "certificate",
};
const read = (cells: (string | number | Date | null)[], line = 2) =>
  readRow({ line, cells }, COLUMNS, MAPPING);

describe("reading a row through the mapping", () => {
  it("reads percentages, spreadsheet day numbers and money in the currency's minor units", () => {
    const row = read(["Ann@Example.org", "C1", "Course", "85%", 46082, "1250,5", "EUR", "2", null]);
    expect(row.problem).toBeNull();
    expect(row.externalId).toBe("C1:ann@example.org");
    expect(row.enrollment).toMatchObject({
      person: { email: "ann@example.org", externalId: "ann@example.org" },
      progressPercent: 85,
      startedAt: new Date("2026-03-01T00:00:00Z"),
      attempts: 2,
      costMinor: 125050,
      currency: "EUR",
      status: "in-progress",
    });
    const comma = read(["a@example.org", "C1", "Course", 0.5, null, "12,5", "JPY", null, null]);
    expect(comma.problem).toBeNull();
    expect(comma.enrollment).toMatchObject({ progressPercent: 50, costMinor: 13, currency: "JPY" });
    const euros = read(["a@example.org", "C1", "Course", null, null, "49.90", "eur", null, null]);
    expect(euros.enrollment).toMatchObject({
      costMinor: 4990,
      currency: "EUR",
      status: "not-started",
    });
  });

  it("fails a row with its line and the column that could not be read", () => {
    expect(
      read(["a@example.org", "C1", "Course", "150", null, null, null, null, null], 9).problem,
    ).toBe("Line 9: progress: 150 is not between 0 and 100");
    expect(
      read(["a@example.org", "C1", "Course", null, null, "5", null, null, null], 3).problem,
    ).toBe("Line 3: cost: a cost needs its currency (map the currency column)");
    expect(
      read(["a@example.org", "C1", "Course", null, null, null, null, "1.5", null], 4).problem,
    ).toBe("Line 4: attempts: 1.5 is not a whole number");
    expect(
      read(["a@example.org", "C1", "Course", null, null, null, null, null, "ftp://x"], 5).problem,
    ).toBe('Line 5: certificate: "ftp://x" is not a web address');
    expect(
      read(["not-an-email", "C1", "Course", null, null, null, null, null, null], 6).problem,
    ).toBe('Line 6: email: "not-an-email" is not an email address');
    const noCourse = read(["a@example.org", "", "Course", null, null, null, null, null, null], 7);
    expect(noCourse).toMatchObject({
      courseKey: null,
      externalId: "line-7",
      problem: "Line 7: course: the course id is empty",
    });
  });
});

describe("the connector over a file", () => {
  const rows = Array.from({ length: FILE_PAGE * 2 + 10 }, (_, i) =>
    read(
      [
        `p${i}@example.org`,
        i % 2 ? "ODD" : "EVEN",
        i % 2 ? "Odd" : "Even",
        null,
        null,
        null,
        null,
        null,
        null,
      ],
      i + 2,
    ),
  );

  it("answers the file's courses, then each course's rows a page at a time from the row offset", async () => {
    const connector = fileConnector([
      ...rows,
      read(["x@example.org", "", "No course", null, null, null, null, null, null], 9999),
    ]);
    const courses = await connector.listCourses();
    expect(courses).toMatchObject({ next: null });
    expect(courses.items.map((c) => [c.externalId, c.title])).toEqual([
      ["EVEN", "Even"],
      ["ODD", "Odd"],
    ]);
    const first = await connector.listEnrollments("EVEN");
    expect(first.items).toHaveLength(FILE_PAGE);
    expect(first.next).toBe(String(FILE_PAGE));
    // A run taken over resumes from the cursor it saved.
    const second = await connector.listEnrollments("EVEN", { cursor: first.next });
    expect(second.items[0]?.externalId).toBe(`EVEN:p${FILE_PAGE * 2}@example.org`);
    expect(second.next).toBeNull();
    // The row without a course is reported with the first course's rows.
    expect(second.items.at(-1)).toMatchObject({
      externalId: "line-9999",
      unreadable: "Line 9999: course: the course id is empty",
    });
    expect((await connector.listEnrollments("ODD", { cursor: first.next })).next).toBeNull();
    expect((await connector.listEnrollments("ELSEWHERE")).items).toEqual([]);
  });

  it("imports the last row of an enrollment the file holds twice", async () => {
    const connector = fileConnector([
      read(["a@example.org", "C1", "Course", "10", null, null, null, null, null], 2),
      read(["a@example.org", "C1", "Course", "90", null, null, null, null, null], 3),
    ]);
    const page = await connector.listEnrollments("C1");
    expect(page.items.map((e) => e.progressPercent)).toEqual([90]);
  });
});
