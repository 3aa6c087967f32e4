import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { safeTarget } from "./delivery-routes.js";
import { notify, notifyAll } from "./notify.js";
import { parseTemplate, renderTemplate, variablesOf } from "./template-language.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const base = "/api/v1";

async function orgWithTwoAdmins() {
  const { org, people } = await makeOrganization(t, {
    people: [
      { key: "second", roles: ["org-admin"] },
      { key: "learner", roles: ["learner"] },
    ],
  });
  const pick = (key: string) => {
    const person = people[key];
    if (!person) throw new Error(`no ${key}`);
    return person;
  };
  return { org, admin: people.admin, second: pick("second"), learner: pick("learner") };
}

async function latestInApp(userId: string) {
  return t.system.db
    .selectFrom("notifications")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
}

async function mailTo(email: string) {
  return t.system.db
    .selectFrom("mail_outbox")
    .selectAll()
    .where("to_address", "=", email)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
}

describe("the template language", () => {
  it("inserts variables, keeps one branch of an if, and names what a template uses", () => {
    const source = "Hi {{ name }}!{{#if score}} You scored {{score}}.{{else}} Not scored.{{/if}}";
    expect(renderTemplate(source, { name: "Ada", score: 0 })).toBe("Hi Ada! You scored 0.");
    expect(renderTemplate(source, { name: "Ada", score: null })).toBe("Hi Ada! Not scored.");
    expect(renderTemplate(source, { name: "<b>" })).toBe("Hi <b>! Not scored.");
    expect(variablesOf(source)).toEqual(["name", "score"]);
  });

  it("refuses malformed tags instead of guessing, and runs nothing", () => {
    for (const bad of ["{{name", "{{#if x}}open", "{{/if}}", "{{else}}", "{{ a.b }}", "{{x()}}"])
      expect(() => parseTemplate(bad), bad).toThrow();
    expect(renderTemplate("{{constructor}}{{toString}}", {})).toBe("");
  });

  it("lets tracked links lead only to the app's own pages", () => {
    const url = "http://lyceum.test";
    expect(safeTarget(url, "/courses/1?tab=a#x")).toBe("http://lyceum.test/courses/1?tab=a#x");
    for (const bad of ["//evil.example/x", "https://evil.example", "/\\evil.example", undefined])
      expect(safeTarget(url, bad)).toBe("http://lyceum.test/");
  });
});

describe("notification templates", () => {
  it("sends today's texts from the built-in templates, in English and in German", async () => {
    const { org } = await orgWithTwoAdmins();
    const en = await makeUser(t, { firstName: "Erin" });
    const de = await makeUser(t, { firstName: "Dora" });
    await t.system.db
      .updateTable("users")
      .set({ preferred_language: "de-AT" })
      .where("id", "=", de.id)
      .execute();
    for (const user of [en, de])
      await notify(t.system, {
        userId: user.id,
        organizationId: org.id,
        type: "quiz-graded",
        variables: { quizTitle: "Safety", score: 80, passed: true, regraded: false },
        actionPath: "/attempts/1",
      });
    expect(await latestInApp(en.id)).toMatchObject({
      title: "Safety: graded",
      body: "You scored 80 % and passed.",
    });
    expect(await latestInApp(de.id)).toMatchObject({
      title: "Safety: bewertet",
      body: "Sie haben 80 % erreicht und bestanden.",
    });
    const mail = await mailTo(de.email);
    expect(mail.subject).toBe("Safety: bewertet");
    expect(mail.text_body).toContain("Hallo Dora,");
    expect(mail.html_body).toContain("Ergebnis ansehen");
    const log = await t.system.db
      .selectFrom("notification_deliveries")
      .selectAll()
      .where("user_id", "=", de.id)
      .orderBy("channel")
      .execute();
    expect(log.map((d) => [d.channel, d.status, d.language, d.template_version])).toEqual([
      ["email", "queued", "de", 0],
      ["in-app", "sent", "de", 0],
    ]);
  });

  it("tells many people at once with one read of the people, the templates and the tracking setting", async () => {
    const { org, admin, second } = await orgWithTwoAdmins();
    const [en, de, at] = [await makeUser(t), await makeUser(t), await makeUser(t)];
    const people = [en, de, at];
    await t.system.db
      .updateTable("users")
      .set({ preferred_language: "de" })
      .where("id", "in", [de.id, at.id])
      .execute();
    // the organization's own German in-app text, live
    const draft = await t.http.post(
      `${base}/organizations/${org.id}/notification-templates`,
      {
        type: "announcement",
        channel: "in-app",
        language: "de",
        subject: "Neu in {{courseTitle}}: {{announcementTitle}}",
        body: "{{excerpt}}",
      },
      admin,
    );
    await t.http.post(`${base}/notification-templates/${draft.body.data.id}/submit`, {}, admin);
    await t.http.post(`${base}/notification-templates/${draft.body.data.id}/approve`, {}, second);

    const input = {
      organizationId: org.id,
      type: "announcement" as const,
      variables: { courseTitle: "Safety", announcementTitle: "Exam", excerpt: "On Friday." },
      actionPath: "/courses/x/announcements",
    };
    const counted = () => {
      const seen = { statements: 0, templateReads: 0, userReads: 0, settingReads: 0 };
      const ctx = {
        ...t.system,
        db: t.system.db.withPlugin({
          transformQuery(args) {
            seen.statements++;
            const node = args.node as { kind: string; from?: { froms: unknown[] } };
            const from = JSON.stringify(node.from?.froms ?? []);
            if (node.kind === "SelectQueryNode" && from.includes('"notification_templates"'))
              seen.templateReads++;
            if (node.kind === "SelectQueryNode" && from.includes('"users"')) seen.userReads++;
            if (node.kind === "SelectQueryNode" && from.includes('"notification_settings"'))
              seen.settingReads++;
            return args.node;
          },
          async transformResult(args) {
            return args.result;
          },
        }),
      };
      return { ctx, seen };
    };
    // announcements go to the app only unless a person asks for mail: in-app on every one
    const one = counted();
    await notify(one.ctx, { ...input, userId: en.id });
    const many = counted();
    const rows = await notifyAll(many.ctx, { ...input, userIds: people.map((p) => p.id) });
    expect(rows.map((r) => r?.title)).toEqual([
      "Safety: Exam",
      "Neu in Safety: Exam",
      "Neu in Safety: Exam",
    ]);
    expect(many.seen).toMatchObject({ templateReads: 1, userReads: 1, settingReads: 0 });
    // the reads once, then one statement per table for all three (the notifications and
    // their log entries): as many statements as for one person
    expect(many.seen.statements).toBe(one.seen.statements);
    // with mail: in-app and email texts in one read, the tracking setting read once
    const mailed = counted();
    await notifyAll(mailed.ctx, {
      organizationId: org.id,
      type: "course-completed",
      variables: { courseTitle: "Safety" },
      userIds: people.map((p) => p.id),
    });
    expect(mailed.seen).toMatchObject({ templateReads: 1, userReads: 1, settingReads: 1 });
    expect((await mailTo(de.email)).subject).toBe("Sie haben Safety abgeschlossen");
    expect(await notifyAll(many.ctx, { ...input, userIds: [] })).toEqual([]);
  });

  it("refuses a template with an unknown variable, naming it", async () => {
    const { org, admin } = await orgWithTwoAdmins();
    const res = await t.http.post(
      `${base}/organizations/${org.id}/notification-templates`,
      {
        type: "course-completed",
        channel: "email",
        language: "en",
        subject: "Done: {{courseTitle}}",
        body: "Hello {{firstName}}, your grade is {{grade}}",
      },
      admin,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(res.body.error.message).toContain("{{grade}}");
    expect(res.body.error.field).toBe("body");
    const rows = await t.system.db
      .selectFrom("notification_templates")
      .select("id")
      .where("organization_id", "=", org.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it("puts an override live only after someone else approves it; the old version retires", async () => {
    const { org, admin, second, learner } = await orgWithTwoAdmins();
    const draft = await t.http.post(
      `${base}/organizations/${org.id}/notification-templates`,
      {
        type: "course-completed",
        channel: "in-app",
        language: "en",
        subject: "Bravo, {{firstName}}: {{courseTitle}} is done",
        body: "Our team is proud of you.",
      },
      admin,
    );
    expect(draft.status).toBe(201);
    expect(draft.body.data).toMatchObject({
      version: 1,
      status: "draft",
      createdBy: admin.user.id,
    });
    const id = draft.body.data.id;

    const tell = () =>
      notify(t.system, {
        userId: learner.user.id,
        organizationId: org.id,
        type: "course-completed",
        variables: { courseTitle: "Fire Safety" },
      });
    await tell();
    expect((await latestInApp(learner.user.id)).title).toBe("You completed Fire Safety");

    let res = await t.http.post(`${base}/notification-templates/${id}/approve`, {}, second);
    expect(res.status).toBe(409);
    res = await t.http.post(`${base}/notification-templates/${id}/submit`, {}, admin);
    expect(res.body.data.status).toBe("pending-approval");
    res = await t.http.post(`${base}/notification-templates/${id}/approve`, {}, admin);
    expect(res.status).toBe(403);
    res = await t.http.post(`${base}/notification-templates/${id}/approve`, {}, second);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: "active", approvedBy: second.user.id });

    await tell();
    expect(await latestInApp(learner.user.id)).toMatchObject({
      title: "Bravo, learner: Fire Safety is done",
      body: "Our team is proud of you.",
    });

    // a second version: rejected once, then approved; version 1 retires
    res = await t.http.post(
      `${base}/organizations/${org.id}/notification-templates`,
      {
        type: "course-completed",
        channel: "in-app",
        language: "en",
        subject: "{{courseTitle}} complete",
        body: "v2",
      },
      second,
    );
    const v2 = res.body.data.id;
    expect(res.body.data.version).toBe(2);
    await t.http.post(`${base}/notification-templates/${v2}/submit`, {}, second);
    res = await t.http.post(
      `${base}/notification-templates/${v2}/reject`,
      { reason: "Too short" },
      admin,
    );
    expect(res.body.data).toMatchObject({ status: "draft", rejectionReason: "Too short" });
    res = await t.http.patch(
      `${base}/notification-templates/${v2}`,
      { body: "v2, longer" },
      second,
    );
    expect(res.body.data.body).toBe("v2, longer");
    await t.http.post(`${base}/notification-templates/${v2}/submit`, {}, second);
    // Submitted, and then live, its texts stay as they were sent for approval
    const stored = async () =>
      (
        await t.system.db
          .selectFrom("notification_templates")
          .select("body")
          .where("id", "=", v2)
          .executeTakeFirstOrThrow()
      ).body;
    res = await t.http.patch(
      `${base}/notification-templates/${v2}`,
      { body: "sneaked in" },
      second,
    );
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: "TEMPLATE_NOT_DRAFT",
      details: { status: "pending-approval" },
    });
    expect(await stored()).toBe("v2, longer");
    res = await t.http.post(`${base}/notification-templates/${v2}/approve`, {}, admin);
    expect(res.body.data.status).toBe("active");
    res = await t.http.patch(`${base}/notification-templates/${v2}`, { body: "sneaked in" }, admin);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: "TEMPLATE_NOT_DRAFT",
      details: { status: "active" },
    });
    expect(await stored()).toBe("v2, longer");
    res = await t.http.get(`${base}/organizations/${org.id}/notification-templates`, admin);
    expect(
      res.body.data.map((r: { version: number; status: string }) => [r.version, r.status]),
    ).toEqual([
      [2, "active"],
      [1, "retired"],
    ]);
    res = await t.http.get(
      `${base}/organizations/${org.id}/notification-templates/effective?language=de`,
      admin,
    );
    const effective = res.body.data.filter((e: { type: string }) => e.type === "course-completed");
    expect(effective.find((e: { channel: string }) => e.channel === "in-app")).toMatchObject({
      source: "organization",
      language: "en",
      version: 2,
    });
    expect(effective.find((e: { channel: string }) => e.channel === "email")).toMatchObject({
      source: "built-in",
      language: "de",
      version: 0,
    });
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", v2)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "notification-template.create",
      "notification-template.submit",
      "notification-template.reject",
      "notification-template.update",
      "notification-template.submit",
      "notification-template.approve",
    ]);
    // learners do not manage templates
    res = await t.http.get(`${base}/notification-templates/${v2}`, learner);
    expect(res.status).toBe(403);
  });

  it("previews a version with sample values, and unsaved texts with given values", async () => {
    const { org, admin } = await orgWithTwoAdmins();
    const draft = await t.http.post(
      `${base}/organizations/${org.id}/notification-templates`,
      {
        type: "certificate-issued",
        channel: "email",
        language: "en",
        subject: "Certificate {{certificateNumber}}",
        body: "Dear {{firstName}},\n\n<{{courseTitle}}> is certified.",
      },
      admin,
    );
    let res = await t.http.post(
      `${base}/notification-templates/${draft.body.data.id}/preview`,
      {},
      admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.subject).toBe("Certificate [certificateNumber]");
    expect(res.body.data.html).toContain("&#60;[courseTitle]&#62; is certified.");
    res = await t.http.post(
      `${base}/organizations/${org.id}/notification-templates/preview`,
      {
        type: "certificate-issued",
        channel: "in-app",
        language: "en",
        subject: "For {{firstName}}",
        body: "{{courseTitle}}",
        values: { firstName: "Ada" },
      },
      admin,
    );
    expect(res.body.data).toMatchObject({ subject: "For Ada", body: "[courseTitle]", html: null });
  });

  it("a platform administrator's approved system template applies where no override exists", async () => {
    const admin = await makeUser(t, { platformAdmin: true });
    const other = await makeUser(t, { platformAdmin: true });
    const { signIn } = await import("../../../test/factories.js");
    const [a, b] = [await signIn(t, admin.email), await signIn(t, other.email)];
    const { org, learner, admin: orgAdmin } = await orgWithTwoAdmins();
    let res = await t.http.post(
      `${base}/notification-templates`,
      {
        type: "lesson-unlocked",
        channel: "in-app",
        language: "en",
        subject: "Unlocked: {{moduleTitle}}",
        body: "Go on.",
      },
      orgAdmin,
    );
    expect(res.status).toBe(403);
    res = await t.http.post(
      `${base}/notification-templates`,
      {
        type: "lesson-unlocked",
        channel: "in-app",
        language: "en",
        subject: "Unlocked: {{moduleTitle}}",
        body: "Go on.",
      },
      a,
    );
    expect(res.status).toBe(201);
    const id = res.body.data.id;
    expect(res.body.data.organizationId).toBeNull();
    await t.http.post(`${base}/notification-templates/${id}/submit`, {}, a);
    res = await t.http.post(`${base}/notification-templates/${id}/approve`, {}, orgAdmin);
    expect(res.status).toBe(404);
    res = await t.http.post(`${base}/notification-templates/${id}/approve`, {}, b);
    expect(res.body.data.status).toBe("active");
    await notify(t.system, {
      userId: learner.user.id,
      organizationId: org.id,
      type: "lesson-unlocked",
      variables: { moduleTitle: "Module 2" },
    });
    expect(await latestInApp(learner.user.id)).toMatchObject({
      title: "Unlocked: Module 2",
      body: "Go on.",
    });
    // retire it again so other tests see the built-in text
    await t.system.db
      .updateTable("notification_templates")
      .set({ status: "retired" })
      .where("id", "=", id)
      .execute();
  });
});

describe("the delivery log", () => {
  it("follows a mail from queued to sent, opened and clicked, and lists it filtered", async () => {
    const { org, admin, learner } = await orgWithTwoAdmins();
    await notify(t.system, {
      userId: learner.user.id,
      organizationId: org.id,
      type: "course-completed",
      variables: { courseTitle: "Tracking 101" },
      actionPath: "/courses/abc",
    });
    const mail = await mailTo(learner.user.email);
    const pixel = mail.html_body?.match(/notification-tracking\/([\w-]+)\/open\.gif/)?.[1];
    expect(pixel).toBeTruthy();
    expect(mail.html_body).toContain(`click?to=${encodeURIComponent("/courses/abc")}`);
    expect(mail.text_body).toContain("http://lyceum.test/courses/abc");
    await t.deliverMail();
    let res = await t.http.get(
      `${base}/organizations/${org.id}/notification-deliveries?channel=email`,
      admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({
      status: "sent",
      userId: learner.user.id,
      userName: `${learner.user.first_name} ${learner.user.last_name}`,
      mailOutboxId: mail.id,
      retries: 0,
    });
    res = await t.http.get(`${base}/notification-tracking/${pixel}/open.gif`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/gif");
    res = await t.http.get(
      `${base}/organizations/${org.id}/notification-deliveries?status=opened`,
      admin,
    );
    expect(res.body.data).toHaveLength(1);
    res = await t.http.get(
      `${base}/notification-tracking/${pixel}/click?to=${encodeURIComponent("https://evil.example/")}`,
    );
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("http://lyceum.test/");
    res = await t.http.get(
      `${base}/notification-tracking/${pixel}/click?to=${encodeURIComponent("/courses/abc")}`,
    );
    expect(res.headers.location).toBe("http://lyceum.test/courses/abc");
    const row = await t.system.db
      .selectFrom("notification_deliveries")
      .selectAll()
      .where("mail_outbox_id", "=", mail.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("clicked");
    expect(row.opened_at).not.toBeNull();
    expect(row.clicked_at).not.toBeNull();
    expect(row.sent_at).not.toBeNull();
    res = await t.http.get(
      `${base}/organizations/${org.id}/notification-deliveries?channel=in-app&type=course-completed`,
      admin,
    );
    expect(res.body.data.map((d: { status: string }) => d.status)).toEqual(["sent"]);
  });

  it("sends plain mails without a pixel when the organization turns tracking off", async () => {
    const { org, admin, learner } = await orgWithTwoAdmins();
    let res = await t.http.get(`${base}/organizations/${org.id}/notification-settings`, admin);
    expect(res.body.data).toEqual({ trackingEnabled: true });
    res = await t.http.put(
      `${base}/organizations/${org.id}/notification-settings`,
      { trackingEnabled: false },
      admin,
    );
    expect(res.body.data).toEqual({ trackingEnabled: false });
    await notify(t.system, {
      userId: learner.user.id,
      organizationId: org.id,
      type: "course-completed",
      variables: { courseTitle: "Private 101" },
      actionPath: "/courses/p",
    });
    const mail = await mailTo(learner.user.email);
    expect(mail.html_body).not.toContain("notification-tracking");
    expect(mail.html_body).toContain('href="http://lyceum.test/courses/p"');
    const row = await t.system.db
      .selectFrom("notification_deliveries")
      .select("tracking_token")
      .where("mail_outbox_id", "=", mail.id)
      .executeTakeFirstOrThrow();
    expect(row.tracking_token).toBeNull();
  });

  it("holds mail for a person who chose a digest", async () => {
    const { org, learner } = await orgWithTwoAdmins();
    await t.system.db
      .insertInto("notification_preferences")
      .values({ user_id: learner.user.id, digest: "daily", preferences: "{}" })
      .execute();
    await notify(t.system, {
      userId: learner.user.id,
      organizationId: org.id,
      type: "course-completed",
      variables: { courseTitle: "Digest 101" },
    });
    const held = await t.system.db
      .selectFrom("notification_digest_items")
      .selectAll()
      .where("user_id", "=", learner.user.id)
      .execute();
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({
      frequency: "daily",
      subject: "You completed Digest 101",
      sent_at: null,
    });
    const mails = await t.system.db
      .selectFrom("mail_outbox")
      .select("id")
      .where("to_address", "=", learner.user.email)
      .execute();
    expect(mails).toEqual([]);
  });
});
