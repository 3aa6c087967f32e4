import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { aggregationKeys } from "./aggregation.js";
import { recordEvents } from "./record.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Around new year, ISO weeks 52/53/1, daylight-saving changes and far-off offsets.
const INSTANTS = [
  "2026-12-31T23:30:00Z",
  "2027-01-01T00:30:00Z",
  "2024-12-30T12:00:00Z",
  "2021-01-03T23:00:00Z",
  "2026-03-29T00:30:00Z",
  "2026-10-25T01:30:00Z",
  "2026-06-30T22:15:00Z",
];
const ZONES = ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Kiritimati"];

describe("recording learning events", () => {
  it("computes the same aggregation keys in the database as aggregationKeys, in the organization's zone or else the learner's", async () => {
    for (const zone of ZONES) {
      const { org, people } = await makeOrganization(t);
      await t.system.db
        .updateTable("organizations")
        .set({ timezone: zone })
        .where("id", "=", org.id)
        .execute();
      const loner = await makeUser(t);
      await t.system.db
        .updateTable("users")
        .set({ timezone: zone })
        .where("id", "=", loner.id)
        .execute();
      const inputs = INSTANTS.flatMap((at) => [
        {
          type: "content-viewed",
          learnerId: people.admin.user.id,
          organizationId: org.id,
          occurredAt: new Date(at),
        },
        { type: "content-viewed", learnerId: loner.id, occurredAt: new Date(at) },
      ]);
      const rows = await recordEvents(t.system, inputs);
      expect(rows.map((r) => [r.learner_id, r.occurred_at.toISOString()])).toEqual(
        inputs.map((i) => [i.learnerId, i.occurredAt.toISOString()]),
      );
      for (const row of rows) {
        const keys = aggregationKeys(row.occurred_at, zone);
        expect([row.day_key, row.week_key, row.month_key, row.quarter_key, row.year_key]).toEqual([
          keys.dayKey,
          keys.weekKey,
          keys.monthKey,
          keys.quarterKey,
          keys.yearKey,
        ]);
      }
    }
  });

  it("stores every field given, and nothing when one event has an unknown type", async () => {
    const { org, people } = await makeOrganization(t);
    const learnerId = people.admin.user.id;
    const [row] = await recordEvents(t.system, [
      {
        type: "content-completed",
        learnerId,
        organizationId: org.id,
        sessionId: "s-1",
        durationSeconds: 42,
        data: { score: 3 },
        context: { ipAddress: "10.0.0.1" },
        source: "client",
      },
    ]);
    expect(row).toMatchObject({
      event_type: "content-completed",
      learner_id: learnerId,
      organization_id: org.id,
      session_id: "s-1",
      duration_seconds: 42,
      data: { score: 3 },
      context: { ipAddress: "10.0.0.1" },
      source: "client",
      course_id: null,
      created_at: t.clock.now(),
    });
    const before = await t.system.db
      .selectFrom("learning_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const refused = await recordEvents(t.system, [
      { type: "content-viewed", learnerId },
      { type: "no-such-event", learnerId },
    ]).catch((error: { code: string; message: string }) => error);
    expect(refused).toMatchObject({
      code: "VALIDATION_ERROR",
      message: "Unknown or inactive event type no-such-event",
    });
    const after = await t.system.db
      .selectFrom("learning_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
