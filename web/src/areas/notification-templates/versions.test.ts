import { describe, expect, it } from "vitest";
import type { NotificationTemplate, NotificationTypeInfo } from "../../api/notificationTemplates";
import { approvalBlock, builtinOf, startingTexts, versionsOf } from "./versions";

const ME = "00000000-0000-4000-8000-0000000000u1";
const OTHER = "00000000-0000-4000-8000-0000000000u2";

function version(over: Partial<NotificationTemplate>): NotificationTemplate {
  return {
    id: `id-${over.version ?? 1}-${over.channel ?? "email"}`,
    organizationId: "org",
    type: "course-completed",
    channel: "email",
    language: "en",
    version: 1,
    status: "draft",
    subject: "S",
    body: "B",
    createdBy: OTHER,
    submittedBy: null,
    submittedAt: null,
    approvedBy: null,
    approvedAt: null,
    rejectedBy: null,
    rejectedAt: null,
    rejectionReason: null,
    retiredAt: null,
    createdAt: "2026-03-02T09:00:00.000Z",
    updatedAt: "2026-03-02T09:00:00.000Z",
    ...over,
  };
}

describe("template versions", () => {
  it("keeps the versions of one line, newest first", () => {
    const all = [
      version({ version: 1, status: "retired" }),
      version({ version: 1, channel: "in-app" }),
      version({ version: 3 }),
      version({ version: 2, status: "active" }),
      version({ version: 1, language: "de" }),
    ];
    const line = { type: "course-completed", channel: "email" as const, language: "en" };
    expect(versionsOf(all, line).map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versionsOf(all, { ...line, type: "welcome" })).toEqual([]);
  });

  it("starts a new version from the open one, else the live one, else the text in use", () => {
    const live = version({ version: 1, status: "active", subject: "Live", body: "live body" });
    const pending = version({ version: 2, status: "pending-approval", subject: "Open" });
    const inUse = { subject: "System", body: "system body" };
    const builtin = { subject: "Built", body: "built body" };
    expect(startingTexts([pending, live], inUse, builtin).subject).toBe("Open");
    expect(startingTexts([live], inUse, builtin)).toEqual({ subject: "Live", body: "live body" });
    expect(startingTexts([], inUse, builtin)).toEqual(inUse);
    expect(startingTexts([], null, builtin)).toEqual(builtin);
    expect(startingTexts([], null, null)).toEqual({ subject: "", body: "" });
  });

  it("says why the signed-in person may not approve", () => {
    const pending = version({ status: "pending-approval", createdBy: OTHER, submittedBy: OTHER });
    expect(approvalBlock(pending, ME)).toBeNull();
    expect(approvalBlock({ ...pending, createdBy: ME }, ME)).toBe("author");
    expect(approvalBlock({ ...pending, submittedBy: ME }, ME)).toBe("submitter");
    expect(approvalBlock({ ...pending, status: "draft" }, ME)).toBe("not-pending");
  });

  it("finds the built-in text in the language, else in English", () => {
    const types = [
      {
        type: "course-completed",
        description: "",
        emailByDefault: true,
        variables: [],
        builtin: [
          { channel: "email", language: "en", subject: "Done", body: "Well done" },
          { channel: "email", language: "de", subject: "Fertig", body: "Gut gemacht" },
          { channel: "in-app", language: "en", subject: "Done!", body: "" },
        ],
      },
    ] as NotificationTypeInfo[];
    const line = { type: "course-completed", channel: "email" as const, language: "de" };
    expect(builtinOf(types, line)?.subject).toBe("Fertig");
    expect(builtinOf(types, { ...line, channel: "in-app" })?.subject).toBe("Done!");
    expect(builtinOf(types, { ...line, channel: "sms" })).toBeNull();
  });
});
