import { describe, expect, it } from "vitest";
import { MAX_CSV_ROWS, readInviteCsv, resultCsv } from "./csv";

describe("reading a CSV of people to invite", () => {
  it("takes the email, role and message columns by name, in any order and case", () => {
    const read = readInviteCsv(
      '\uFEFFMessage,Email,Role\r\n"Hello, Ana",ana@example.com,Manager\r\n\r\n,ben@example.com,\r\n',
    );
    expect(read).toEqual({
      rows: [
        { line: 2, email: "ana@example.com", role: "Manager", message: "Hello, Ana" },
        { line: 4, email: "ben@example.com", role: "", message: "" },
      ],
    });
  });

  it("numbers rows by their line in the file, across quoted line breaks", () => {
    const read = readInviteCsv('email,message\nana@example.com,"two\nlines"\nben@example.com,\n');
    expect(read).toEqual({
      rows: [
        { line: 3, email: "ana@example.com", role: "", message: "two\nlines" },
        { line: 4, email: "ben@example.com", role: "", message: "" },
      ],
    });
  });

  it("reads semicolon-separated files, as spreadsheets in many languages write them", () => {
    const read = readInviteCsv("email;role\ncleo@example.com;learner\n");
    expect(read).toEqual({
      rows: [{ line: 2, email: "cleo@example.com", role: "learner", message: "" }],
    });
  });

  it("says what stops a file from being used", () => {
    expect(readInviteCsv("name,role\nAna,learner\n")).toEqual({
      problem: { kind: "noEmailColumn" },
    });
    expect(readInviteCsv("email\n\n")).toEqual({ problem: { kind: "empty" } });
    expect(readInviteCsv("")).toEqual({ problem: { kind: "empty" } });
    const many = `email\n${Array.from({ length: MAX_CSV_ROWS + 1 }, (_, i) => `p${i}@example.com`).join("\n")}`;
    expect(readInviteCsv(many)).toEqual({ problem: { kind: "tooMany", count: MAX_CSV_ROWS + 1 } });
    const broken = readInviteCsv('email\n"unclosed@example.com\n');
    expect("problem" in broken && broken.problem.kind).toBe("unreadable");
  });

  it("writes a result file that reads back the same", () => {
    const text = resultCsv(
      ["line", "email", "result"],
      [
        ["2", "ana@example.com", "Invited"],
        ["3", "ben@example.com", 'Refused: "already a member", see notes'],
      ],
    );
    expect(text).toBe(
      'line,email,result\r\n2,ana@example.com,Invited\r\n3,ben@example.com,"Refused: ""already a member"", see notes"\r\n',
    );
  });
});
