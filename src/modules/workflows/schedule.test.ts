import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { advanceDue } from "./engine.js";

let t: TestApp;
let a: Awaited<ReturnType<typeof makeOrganization>>;
let admin: { token?: string };
const api = "/api/v1";
const nudge = {
  type: "notification",
  recipient: { kind: "role", role: "org-admin" },
  message: "Check the dashboard",
};

/** Moves the clock; access tokens live minutes, so the administrator signs in again. */
async function setClock(at: string) {
  t.clock.set(at);
  admin = await signIn(t, a.people.admin.user.email);
}

async function create(name: string, trigger: Record<string, unknown>) {
  return t.http.post(
    `${api}/organizations/${a.org.id}/workflows`,
    { name, trigger, steps: [nudge] },
    admin,
  );
}

async function runsOf(definitionId: string) {
  return t.system.db
    .selectFrom("workflow_executions")
    .select(["status", "started_at"])
    .where("definition_id", "=", definitionId)
    .orderBy("started_at")
    .execute();
}

beforeAll(async () => {
  t = await createTestApp();
  a = await makeOrganization(t, { name: "Cron Org" });
  await t.system.db
    .updateTable("organizations")
    .set({ timezone: "Europe/Berlin" })
    .where("id", "=", a.org.id)
    .execute();
  // Monday 2026-03-02, 10:00 in Berlin (UTC+1 until 29 March)
  await setClock("2026-03-02T09:00:00Z");
});

afterAll(() => t?.close());

describe("cron schedules", () => {
  it("start executions at the expression's times in the organization's time zone", async () => {
    const created = await create("Weekday mornings", { type: "schedule", cron: "0 8 * * 1-5" });
    expect(created.status).toBe(201);
    expect(created.body.data.trigger).toEqual({
      type: "schedule",
      event: null,
      everyHours: null,
      cron: "0 8 * * 1-5",
    });
    // 08:00 in Berlin has passed on Monday: Tuesday 07:00 UTC
    expect(created.body.data.nextRunAt).toBe("2026-03-03T07:00:00.000Z");
    const id = created.body.data.id as string;

    await setClock("2026-03-03T06:59:00Z");
    expect(await advanceDue(t.system, a.org.id)).toEqual({ scheduled: 0 });
    await setClock("2026-03-03T07:00:30Z");
    expect(await advanceDue(t.system, a.org.id)).toMatchObject({ scheduled: 1 });
    expect(await advanceDue(t.system, a.org.id)).toEqual({ scheduled: 0 });
    let after = await t.http.get(`${api}/workflows/${id}`, admin);
    expect(after.body.data.nextRunAt).toBe("2026-03-04T07:00:00.000Z");

    // Missed runs start once, and Friday's run leads to Monday's
    await setClock("2026-03-06T07:01:00Z");
    expect(await advanceDue(t.system, a.org.id)).toMatchObject({ scheduled: 1 });
    after = await t.http.get(`${api}/workflows/${id}`, admin);
    expect(after.body.data.nextRunAt).toBe("2026-03-09T07:00:00.000Z");

    // Summer time in Berlin from 29 March: 08:00 there is 06:00 UTC
    await setClock("2026-03-27T07:00:10Z");
    expect(await advanceDue(t.system, a.org.id)).toMatchObject({ scheduled: 1 });
    after = await t.http.get(`${api}/workflows/${id}`, admin);
    expect(after.body.data.nextRunAt).toBe("2026-03-30T06:00:00.000Z");

    const runs = await runsOf(id);
    expect(runs.map((r) => [r.status, r.started_at.toISOString()])).toEqual([
      ["completed", "2026-03-03T07:00:30.000Z"],
      ["completed", "2026-03-06T07:01:00.000Z"],
      ["completed", "2026-03-27T07:00:10.000Z"],
    ]);
  });

  it("refuses expressions that cannot run, and a trigger with both or neither", async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ cron: "not a cron" }, "trigger.cron", /^Not a cron expression/],
      [{ cron: "0 0 30 2 *" }, "trigger.cron", /never runs/],
      [{ cron: "*/30 * * * *" }, "trigger.cron", /at most once an hour/],
      [{ cron: "0 8 * * *", everyHours: 24 }, "trigger.cron", /exactly one of/],
      [{}, "trigger.everyHours", /exactly one of/],
      [{ cron: null, everyHours: null }, "trigger.everyHours", /exactly one of/],
    ];
    for (const [schedule, field, message] of cases) {
      const res = await create("Refused", { type: "schedule", ...schedule });
      expect(res.status, JSON.stringify(schedule)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toMatch(message);
    }
    const stored = await t.system.db
      .selectFrom("workflow_definitions")
      .select("id")
      .where("organization_id", "=", a.org.id)
      .where("name", "=", "Refused")
      .execute();
    expect(stored).toEqual([]);
  });

  it("keeps each version's own trigger when the schedule changes", async () => {
    const created = await create("Changing schedule", { type: "schedule", everyHours: 12 });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    const refused = await t.http.patch(
      `${api}/workflows/${id}`,
      { trigger: { type: "schedule", cron: "* * * * *" } },
      admin,
    );
    expect(refused.status).toBe(400);
    const changed = await t.http.patch(
      `${api}/workflows/${id}`,
      { trigger: { type: "schedule", cron: "30 6 1 * *" } },
      admin,
    );
    expect(changed.status).toBe(200);
    expect(changed.body.data.version).toBe(2);
    // 06:30 on the 1st of April in Berlin (summer time)
    expect(changed.body.data.nextRunAt).toBe("2026-04-01T04:30:00.000Z");
    const versions = await t.http.get(`${api}/workflows/${id}/versions`, admin);
    expect(
      (versions.body.data as Array<{ version: number; trigger: unknown }>).map((v) => [
        v.version,
        v.trigger,
      ]),
    ).toEqual([
      [2, { type: "schedule", event: null, everyHours: null, cron: "30 6 1 * *" }],
      [1, { type: "schedule", event: null, everyHours: 12, cron: null }],
    ]);
  });
});

describe("the schedule preview", () => {
  it("answers the next starts in the organization's time zone, or the trigger's refusal", async () => {
    await setClock("2026-03-02T09:00:00Z");
    const url = `${api}/organizations/${a.org.id}/workflow-schedule-preview`;
    const res = await t.http.get(`${url}?cron=${encodeURIComponent("0 8 * * 1")}`, admin);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      timezone: "Europe/Berlin",
      runs: [
        "2026-03-09T07:00:00.000Z",
        "2026-03-16T07:00:00.000Z",
        "2026-03-23T07:00:00.000Z",
        "2026-03-30T06:00:00.000Z",
        "2026-04-06T06:00:00.000Z",
      ],
    });
    const bad = await t.http.get(`${url}?cron=${encodeURIComponent("*/5 * * * *")}`, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "VALIDATION_ERROR", field: "trigger.cron" });
    const other = await makeOrganization(t, { name: "Other Cron Org" });
    const foreign = await t.http.get(
      `${api}/organizations/${other.org.id}/workflow-schedule-preview?cron=0+8+*+*+1`,
      admin,
    );
    expect(foreign.status).toBe(403);
  });
});
