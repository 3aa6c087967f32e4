import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { notify } from "./notify.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function mailsTo(email: string, template: string) {
  return t.system.db
    .selectFrom("mail_outbox")
    .selectAll()
    .where("to_address", "=", email)
    .where("template", "=", template)
    .execute();
}

describe("notifications", () => {
  it("lists my notifications newest first with an unread count, and marks them read", async () => {
    const auth = await signedInUser(t);
    const { user } = auth;
    const first = await notify(t.system, {
      userId: user.id,
      type: "enrollment-assigned",
      variables: { courseTitle: "First" },
      actionPath: "/courses/x",
    });
    t.clock.advance(1000);
    const second = await notify(t.system, {
      userId: user.id,
      type: "course-completed",
      variables: { courseTitle: "Second" },
      priority: "high",
    });
    // The welcome notification of registration is not here: the user was made directly.
    let res = await t.http.get("/api/v1/notifications", auth);
    expect(res.status).toBe(200);
    expect(res.body.data.map((n: { title: string }) => n.title)).toEqual([
      "You completed Second",
      "New training: First",
    ]);
    expect(res.body.data[1]).toMatchObject({
      type: "enrollment-assigned",
      body: "Training was assigned to you.",
      actionUrl: "/courses/x",
      priority: "normal",
      readAt: null,
    });
    expect(res.body.meta.pagination.total).toBe(2);
    res = await t.http.get("/api/v1/notifications/unread-count", auth);
    expect(res.body.data).toEqual({ unread: 2 });

    res = await t.http.post(`/api/v1/notifications/${first?.id}/read`, { clicked: true }, auth);
    expect(res.status).toBe(200);
    expect(res.body.data.readAt).not.toBeNull();
    expect(res.body.data.clickedAt).not.toBeNull();
    const stored = await t.system.db
      .selectFrom("notifications")
      .select(["read_at", "clicked_at"])
      .where("id", "=", first?.id as string)
      .executeTakeFirstOrThrow();
    expect(stored.read_at?.toISOString()).toBe(res.body.data.readAt);

    res = await t.http.get("/api/v1/notifications?unread=true", auth);
    expect(res.body.data.map((n: { id: string }) => n.id)).toEqual([second?.id]);
    res = await t.http.get("/api/v1/notifications?unread=false", auth);
    expect(res.body.data.map((n: { id: string }) => n.id)).toEqual([first?.id]);

    res = await t.http.post("/api/v1/notifications/read-all", {}, auth);
    expect(res.body.data).toEqual({ marked: 1 });
    res = await t.http.get("/api/v1/notifications/unread-count", auth);
    expect(res.body.data).toEqual({ unread: 0 });

    res = await t.http.delete(`/api/v1/notifications/${second?.id}`, auth);
    expect(res.status).toBe(200);
    res = await t.http.get("/api/v1/notifications", auth);
    expect(res.body.data).toHaveLength(1);
  });

  it("never reads or changes someone else's notification", async () => {
    const owner = await signedInUser(t);
    const other = await signedInUser(t);
    const note = await notify(t.system, {
      userId: owner.user.id,
      type: "announcement",
      variables: { courseTitle: "Owner's secret", announcementTitle: "Hush" },
    });
    for (const res of [
      await t.http.post(`/api/v1/notifications/${note?.id}/read`, {}, other),
      await t.http.delete(`/api/v1/notifications/${note?.id}`, other),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    const res = await t.http.get("/api/v1/notifications", other);
    expect(JSON.stringify(res.body)).not.toContain("Owner's secret");
    const row = await t.system.db
      .selectFrom("notifications")
      .select("read_at")
      .where("id", "=", note?.id as string)
      .executeTakeFirstOrThrow();
    expect(row.read_at).toBeNull();
  });

  it("hides notifications past their expiry", async () => {
    const auth = await signedInUser(t);
    const { user } = auth;
    await notify(t.system, {
      userId: user.id,
      type: "waitlist-offer",
      variables: { courseTitle: "Short-lived offer" },
      expiresAt: new Date(t.clock.now().getTime() + 60_000),
    });
    let res = await t.http.get("/api/v1/notifications/unread-count", auth);
    expect(res.body.data.unread).toBe(1);
    t.clock.advance(61_000);
    res = await t.http.get("/api/v1/notifications", auth);
    expect(res.body.data).toEqual([]);
    res = await t.http.get("/api/v1/notifications/unread-count", auth);
    expect(res.body.data.unread).toBe(0);
  });

  it("sends mail and in-app notices as the person's preferences say", async () => {
    const auth = await signedInUser(t);
    const { user } = auth;
    let res = await t.http.get("/api/v1/notifications/preferences", auth);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ emailEnabled: true, inAppEnabled: true });
    expect(res.body.data.types["course-completed"]).toMatchObject({ email: true, inApp: true });
    expect(res.body.data.types["lesson-unlocked"]).toMatchObject({
      email: false,
      emailByDefault: false,
    });

    await notify(t.system, {
      userId: user.id,
      type: "course-completed",
      variables: { courseTitle: "A" },
    });
    expect(await mailsTo(user.email, "course-completed")).toHaveLength(1);

    res = await t.http.put(
      "/api/v1/notifications/preferences",
      { types: { "course-completed": { email: false }, announcement: { inApp: false } } },
      auth,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.types["course-completed"]).toMatchObject({ email: false, inApp: true });
    expect(
      await notify(t.system, {
        userId: user.id,
        type: "course-completed",
        variables: { courseTitle: "B" },
      }),
    ).not.toBeNull();
    expect(await mailsTo(user.email, "course-completed")).toHaveLength(1);
    expect(
      await notify(t.system, {
        userId: user.id,
        type: "announcement",
        variables: { courseTitle: "Hidden" },
      }),
    ).toBeNull();

    // A later change keeps earlier per-kind choices.
    res = await t.http.put("/api/v1/notifications/preferences", { emailEnabled: false }, auth);
    expect(res.body.data.emailEnabled).toBe(false);
    expect(res.body.data.types.announcement.inApp).toBe(false);
    await notify(t.system, {
      userId: user.id,
      type: "certificate-issued",
      variables: { courseTitle: "Cert" },
    });
    expect(await mailsTo(user.email, "certificate-issued")).toHaveLength(0);
    const stored = await t.system.db
      .selectFrom("notification_preferences")
      .selectAll()
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      email_enabled: false,
      in_app_enabled: true,
      preferences: { "course-completed": { email: false }, announcement: { inApp: false } },
    });
  });

  it("refuses unknown kinds and fields with validation errors", async () => {
    const auth = await signedInUser(t);
    for (const body of [
      { types: { "no-such-kind": { email: true } } },
      { emailEnabled: "yes" },
      { surprise: true },
    ]) {
      const res = await t.http.put("/api/v1/notifications/preferences", body, auth);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    }
    const row = await t.system.db
      .selectFrom("notification_preferences")
      .select("user_id")
      .where("user_id", "=", auth.user.id)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });
});
