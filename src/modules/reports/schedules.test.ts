import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { reportWorld } from "../../../test/report-data.js";
import { processNextReportJob } from "./runner.js";
import { nextRun, runDueSchedules, upcomingRuns } from "./schedules.js";

const calendar = (c: Partial<Parameters<typeof nextRun>[0]>) => ({
  frequency: "daily" as const,
  cron_expression: null,
  timezone: "UTC",
  day_of_week: null,
  day_of_month: null,
  month_of_year: null,
  time_of_day: "08:00",
  start_date: null,
  end_date: null,
  ...c,
});
const at = (iso: string) => new Date(iso);

describe("schedule calendars", () => {
  it("keep local time across daylight saving changes", () => {
    const berlin = calendar({ timezone: "Europe/Berlin", time_of_day: "09:00" });
    // Clocks go forward in Berlin on 29 March 2026: 09:00 is 08:00 UTC before, 07:00 after.
    expect(nextRun(berlin, at("2026-03-28T10:00:00Z"))?.toISOString()).toBe(
      "2026-03-29T07:00:00.000Z",
    );
    expect(nextRun(berlin, at("2026-03-27T10:00:00Z"))?.toISOString()).toBe(
      "2026-03-28T08:00:00.000Z",
    );
    const york = calendar({
      frequency: "weekly",
      timezone: "America/New_York",
      day_of_week: 1,
      time_of_day: "07:30",
    });
    // Monday 2 November 2026 is after New York leaves daylight saving (1 November).
    expect(nextRun(york, at("2026-10-27T00:00:00Z"))?.toISOString()).toBe(
      "2026-11-02T12:30:00.000Z",
    );
    expect(nextRun(york, at("2026-10-20T00:00:00Z"))?.toISOString()).toBe(
      "2026-10-26T11:30:00.000Z",
    );
  });

  it("cover every frequency, start and end dates", () => {
    const from = at("2026-01-15T12:00:00Z");
    expect(nextRun(calendar({ frequency: "monthly", day_of_month: 31 }), from)?.toISOString()).toBe(
      "2026-01-31T08:00:00.000Z",
    );
    // Months without a 31st are skipped.
    expect(
      nextRun(
        calendar({ frequency: "monthly", day_of_month: 31 }),
        at("2026-02-01T00:00:00Z"),
      )?.toISOString(),
    ).toBe("2026-03-31T08:00:00.000Z");
    expect(
      nextRun(
        calendar({ frequency: "quarterly", day_of_month: 1, month_of_year: 2 }),
        from,
      )?.toISOString(),
    ).toBe("2026-02-01T08:00:00.000Z");
    expect(
      nextRun(
        calendar({ frequency: "yearly", day_of_month: 10, month_of_year: 7 }),
        from,
      )?.toISOString(),
    ).toBe("2026-07-10T08:00:00.000Z");
    const biweekly = calendar({ frequency: "biweekly", day_of_week: 4 });
    expect(nextRun(biweekly, from, at("2026-01-15T08:00:00Z"))?.toISOString()).toBe(
      "2026-01-29T08:00:00.000Z",
    );
    expect(
      nextRun(
        calendar({ frequency: "cron", cron_expression: "15 6 * * 1-5" }),
        at("2026-01-16T07:00:00Z"),
      )?.toISOString(),
    ).toBe("2026-01-19T06:15:00.000Z");
    const once = calendar({ frequency: "once", start_date: at("2026-02-01T09:00:00Z") });
    expect(nextRun(once, from)?.toISOString()).toBe("2026-02-01T09:00:00.000Z");
    expect(nextRun(once, at("2026-02-02T00:00:00Z"))).toBeNull();
    const bounded = calendar({
      start_date: at("2026-03-01T00:00:00Z"),
      end_date: at("2026-03-03T00:00:00Z"),
    });
    expect(nextRun(bounded, from)?.toISOString()).toBe("2026-03-01T08:00:00.000Z");
    expect(nextRun(bounded, at("2026-03-02T09:00:00Z"))).toBeNull();
  });
});

describe("a calendar's upcoming runs", () => {
  it("lists the next five in the schedule's zone, every second week apart for biweekly", () => {
    const now = at("2026-03-02T09:00:00Z"); // a Monday
    const weekly = upcomingRuns(
      { frequency: "weekly", timezone: "Europe/Berlin", dayOfWeek: 1, time: "08:30" },
      now,
    );
    expect(weekly.map((d) => d.toISOString())).toEqual([
      "2026-03-09T07:30:00.000Z",
      "2026-03-16T07:30:00.000Z",
      "2026-03-23T07:30:00.000Z",
      // Summer time in Berlin from 29 March: 08:30 there is 06:30 UTC.
      "2026-03-30T06:30:00.000Z",
      "2026-04-06T06:30:00.000Z",
    ]);
    const biweekly = upcomingRuns(
      { frequency: "biweekly", timezone: "UTC", dayOfWeek: 1, time: "08:30" },
      now,
    );
    expect(biweekly.map((d) => d.toISOString().slice(0, 10))).toEqual([
      "2026-03-09",
      "2026-03-23",
      "2026-04-06",
      "2026-04-20",
      "2026-05-04",
    ]);
  });

  it("stops at the end date, runs once, and refuses a bad zone or cron expression", () => {
    const now = at("2026-03-02T09:00:00Z");
    expect(
      upcomingRuns(
        { frequency: "daily", timezone: "UTC", time: "07:00", endDate: "2026-03-05T00:00:00Z" },
        now,
      ),
    ).toHaveLength(2);
    expect(
      upcomingRuns(
        { frequency: "once", timezone: "UTC", startDate: "2026-04-01T10:00:00Z" },
        now,
      ).map((d) => d.toISOString()),
    ).toEqual(["2026-04-01T10:00:00.000Z"]);
    expect(() => upcomingRuns({ frequency: "daily", timezone: "Mars/Olympus" }, now)).toThrow(
      /time zone/,
    );
    expect(() =>
      upcomingRuns({ frequency: "cron", timezone: "UTC", cronExpression: "99 * * * *" }, now),
    ).toThrow();
  });
});

describe("report schedules", () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof reportWorld>>;
  let templateId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { REPORT_JOBS_PER_HOUR: "100" } });
    world = await reportWorld(t);
    const res = await t.http.post(
      `/api/v1/organizations/${world.orgId}/report-templates`,
      {
        name: "Weekly completion",
        definition: {
          dimensions: [{ entity: "course", fields: ["title"] }],
          measures: [{ id: "rate", type: "completion-rate" }],
        },
      },
      world.who.viewer,
    );
    templateId = res.body.data.id;
  });
  afterAll(() => t.close());

  /** A fresh sign-in (the tests move the clock past access tokens' lifetime). */
  const as = async (key: string) => {
    const user = await t.system.db
      .selectFrom("users")
      .select("email")
      .where("id", "=", world.ids[key] as string)
      .executeTakeFirstOrThrow();
    return signIn(t, user.email);
  };

  it("preview a calendar's next runs over HTTP, refusing a bad one at its field", async () => {
    const viewer = await as("viewer");
    const res = await t.http.post(
      "/api/v1/report-schedules/preview",
      { frequency: "monthly", timezone: "UTC", dayOfMonth: 15, time: "06:00" },
      viewer,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.runs).toHaveLength(5);
    expect(res.body.data.runs[0]).toMatch(/-15T06:00:00\.000Z$/);
    const bad = await t.http.post(
      "/api/v1/report-schedules/preview",
      { frequency: "cron", timezone: "UTC", cronExpression: "not a cron" },
      viewer,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("cronExpression");
    expect(
      (await t.http.post("/api/v1/report-schedules/preview", { frequency: "daily" })).status,
    ).toBe(401);
  });

  it("queue their template's report when due, count runs, pause, resume, run now and end", async () => {
    const base = `/api/v1/organizations/${world.orgId}/report-schedules`;
    let res = await t.http.post(
      base,
      { name: "Morning completion", templateId, frequency: "daily", timezone: "Nope/Zone" },
      world.who.viewer,
    );
    expect(res.body.error.field).toBe("timezone");
    res = await t.http.post(
      base,
      { name: "x", templateId, frequency: "cron", cronExpression: "61 * * * *", timezone: "UTC" },
      world.who.viewer,
    );
    expect(res.body.error.field).toBe("cronExpression");
    res = await t.http.post(
      base,
      {
        name: "Morning completion",
        templateId,
        frequency: "daily",
        time: "10:00",
        timezone: "Europe/London",
        endDate: "2026-03-05T00:00:00Z",
        filterOverrides: { courseIds: [world.ids.c1] },
        notifyOnComplete: true,
      },
      world.who.viewer,
    );
    expect(res.status).toBe(201);
    const schedule = res.body.data;
    // The clock stands at 2026-03-02 09:00 UTC: 10:00 in London (GMT) is an hour away.
    expect(schedule).toMatchObject({
      isActive: true,
      nextRunAt: "2026-03-02T10:00:00.000Z",
      runCount: 0,
    });

    expect(await runDueSchedules(t.lyceum.services)).toBe(0);
    t.clock.set("2026-03-02T10:00:30Z");
    expect(await runDueSchedules(t.lyceum.services)).toBe(1);
    expect(await runDueSchedules(t.lyceum.services)).toBe(0);
    const job = await processNextReportJob(t.lyceum.services, "schedule-worker");
    expect(job).toMatchObject({
      status: "ready",
      priority: "scheduled",
      schedule_id: schedule.id,
      row_count: 1,
    });
    const viewer = await as("viewer");
    res = await t.http.get(`/api/v1/report-schedules/${schedule.id}`, viewer);
    expect(res.body.data).toMatchObject({
      runCount: 1,
      lastRunStatus: "success",
      lastRunJobId: job?.id,
      nextRunAt: "2026-03-03T10:00:00.000Z",
    });
    // The schedule's runs, for its page.
    res = await t.http.get(
      `/api/v1/organizations/${world.orgId}/report-jobs?scheduleId=${schedule.id}`,
      viewer,
    );
    expect(res.body.data.map((j: { id: string }) => j.id)).toEqual([job?.id]);

    res = await t.http.post(`/api/v1/report-schedules/${schedule.id}/pause`, {}, viewer);
    expect(res.body.data).toMatchObject({ isActive: false, nextRunAt: null });
    t.clock.set("2026-03-03T11:00:00Z");
    expect(await runDueSchedules(t.lyceum.services)).toBe(0);
    res = await t.http.post(
      `/api/v1/report-schedules/${schedule.id}/resume`,
      {},
      await as("viewer"),
    );
    // Missed runs are not made up: the next is tomorrow morning.
    expect(res.body.data).toMatchObject({ isActive: true, nextRunAt: "2026-03-04T10:00:00.000Z" });
    const fresh = await as("viewer");
    res = await t.http.post(`/api/v1/report-schedules/${schedule.id}/run-now`, {}, fresh);
    expect(res.status).toBe(201);
    res = await t.http.get(`/api/v1/report-schedules/${schedule.id}`, fresh);
    expect(res.body.data).toMatchObject({ runCount: 2, nextRunAt: "2026-03-04T10:00:00.000Z" });
    // Others cannot change it.
    expect(
      (await t.http.post(`/api/v1/report-schedules/${schedule.id}/pause`, {}, await as("head")))
        .status,
    ).toBe(404);

    // The last run before the end date ends the schedule.
    t.clock.set("2026-03-04T10:00:10Z");
    expect(await runDueSchedules(t.lyceum.services)).toBe(1);
    const ended = await t.system.db
      .selectFrom("report_schedules")
      .select(["is_active", "next_run_at", "run_count"])
      .where("id", "=", schedule.id)
      .executeTakeFirstOrThrow();
    expect(ended).toEqual({ is_active: false, next_run_at: null, run_count: 3 });
    t.clock.set("2026-03-02T09:00:00Z");
  });

  it("count failures and tell the author when a run cannot be queued", async () => {
    const base = `/api/v1/organizations/${world.orgId}/report-schedules`;
    const viewer = await as("viewer");
    const res = await t.http.post(
      base,
      { name: "Doomed", templateId, frequency: "daily", time: "09:30", timezone: "UTC" },
      viewer,
    );
    const schedule = res.body.data;
    // The author loses report access in the organization.
    await t.system.db
      .deleteFrom("user_roles")
      .where("user_id", "=", world.ids.viewer as string)
      .where("organization_id", "=", world.orgId)
      .execute();
    t.clock.set("2026-03-02T09:30:05Z");
    expect(await runDueSchedules(t.lyceum.services)).toBe(0);
    const row = await t.system.db
      .selectFrom("report_schedules")
      .select(["failure_count", "consecutive_failures", "last_run_status", "next_run_at"])
      .where("id", "=", schedule.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      failure_count: 1,
      consecutive_failures: 1,
      last_run_status: "failed",
    });
    expect(row.next_run_at?.toISOString()).toBe("2026-03-03T09:30:00.000Z");
    const note = await t.system.db
      .selectFrom("notifications")
      .select("title")
      .where("user_id", "=", world.ids.viewer as string)
      .where("title", "=", 'Scheduled report "Doomed" failed')
      .execute();
    expect(note).toHaveLength(1);
    t.clock.set("2026-03-02T09:00:00Z");
  });
});
