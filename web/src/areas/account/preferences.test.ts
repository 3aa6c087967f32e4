import { describe, expect, it } from "vitest";
import type { NotificationPreferences } from "../../api/notifications";
import { changeOf, choicesOf } from "./NotificationPreferencesPage";

const kind = {
  description: "",
  emailByDefault: true,
  email: true,
  inApp: true,
  sms: false,
  push: false,
};

describe("notification preference choices", () => {
  it("lets a kind follow the overall digest unless it has its own, and sends every kind's channels", () => {
    const stored = {
      emailEnabled: true,
      inAppEnabled: true,
      digest: "daily",
      types: {
        "quiz-graded": { ...kind, digest: "immediate", sms: true },
        "course-completed": { ...kind, digest: "daily", push: true },
      },
    } as NotificationPreferences;
    const choices = choicesOf(stored);
    expect(choices.types["quiz-graded"]).toEqual({
      email: true,
      inApp: true,
      sms: true,
      push: false,
      digest: "immediate",
    });
    expect(choices.types["course-completed"]?.digest).toBeNull();
    const change = changeOf({ ...choices, digest: "weekly" });
    expect(change.digest).toBe("weekly");
    expect(change.types).toEqual({
      "quiz-graded": { email: true, inApp: true, sms: true, push: false, digest: "immediate" },
      "course-completed": { email: true, inApp: true, sms: false, push: true, digest: "weekly" },
    });
  });
});
