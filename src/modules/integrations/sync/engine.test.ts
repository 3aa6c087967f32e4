import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser } from "../../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../../test/harness.js";
import { updateCourse } from "../../catalog/courses.js";
import {
  type Connector,
  ConnectorError,
  type ExternalCourse,
  type ExternalEnrollment,
  type ListOptions,
  type Page,
} from "../connectors/types.js";
import type { Rules } from "../rules.js";
import { requestSync, retryDeadLetters, runSync, type SyncTarget } from "./engine.js";
import { queueScheduledSyncs } from "./jobs.js";
import { integrationHealth } from "./monitoring.js";

/**
 * An external system in memory: pages of two, the cursor an offset, and hooks to fail a call.
 * The engine sees only the Connector interface, as it does with the real clients.
 */
class MemoryLms implements Connector {
  readonly type = "moodle" as const;
  courses: ExternalCourse[] = [];
  enrollments = new Map<string, ExternalEnrollment[]>();
  calls: string[] = [];
  /** Thrown once by the call whose label matches, then cleared. */
  failOn: { label: string; error: Error } | null = null;
  sinceSeen: Array<Date | null | undefined> = [];

  private page<T>(label: string, items: T[], options: ListOptions = {}): Page<T> {
    this.calls.push(label);
    this.sinceSeen.push(options.since);
    if (this.failOn && this.failOn.label === label) {
      const { error } = this.failOn;
      this.failOn = null;
      throw error;
    }
    const from = Number(options.cursor ?? 0);
    const next = from + 2 < items.length ? String(from + 2) : null;
    return { items: items.slice(from, from + 2), next };
  }

  async testConnection() {
    return { ok: true, checks: [], latencyMs: 1 };
  }
  async listCourses(options?: ListOptions) {
    return this.page(`courses@${options?.cursor ?? 0}`, this.courses, options);
  }
  async listEnrollments(course: string, options?: ListOptions) {
    return this.page(
      `${course}@${options?.cursor ?? 0}`,
      this.enrollments.get(course) ?? [],
      options,
    );
  }
  async enrol(): Promise<{ externalId: string }> {
    throw new ConnectorError("unsupported", "Not here");
  }
}

function course(id: string, title: string): ExternalCourse {
  return {
    externalId: id,
    code: `C${id}`,
    title,
    summary: `About ${title}`,
    url: `https://lms.example/course/${id}`,
    startsAt: null,
    endsAt: null,
    updatedAt: null,
  };
}

function enrollment(
  course: string,
  email: string | null,
  overrides: Partial<ExternalEnrollment> = {},
): ExternalEnrollment {
  return {
    externalId: `${course}:${email}`,
    courseExternalId: course,
    person: { externalId: `u-${email}`, email, firstName: null, lastName: null },
    status: "in-progress",
    enrolledAt: new Date("2026-10-01T08:00:00Z"),
    startedAt: new Date("2026-10-02T08:00:00Z"),
    completedAt: null,
    dueAt: null,
    lastAccessAt: new Date("2026-10-05T08:00:00Z"),
    progressPercent: 40,
    timeSpentMinutes: 90,
    score: null,
    maxScore: null,
    passingScore: null,
    grade: null,
    credits: null,
    costMinor: null,
    currency: null,
    instructorName: "Ines Instructor",
    attempts: null,
    certifiedAt: null,
    certificateUrl: null,
    updatedAt: null,
    ...overrides,
  };
}

let t: TestApp;
let org: Awaited<ReturnType<typeof makeOrganization>>;
let integrationId: string;
const lms = new MemoryLms();
/** The integration's rules, as the test sets them. */
let rules: Rules | null = null;
const people: Record<string, string> = {};

const load = async (): Promise<SyncTarget> => ({
  id: integrationId,
  organizationId: org.org.id,
  name: "Moodle",
  direction: "import",
  isActive: true,
  ownerId: org.people.admin.user.id,
  rules,
  connector: lms,
});

async function run(options: { dryRun?: boolean; full?: boolean } = {}) {
  const queued = await requestSync(
    t.system,
    { id: integrationId, organizationId: org.org.id },
    options,
  );
  return runSync(t.system, queued.id, load);
}

const stored = (externalId: string) =>
  t.system.db
    .selectFrom("enrollments")
    .selectAll()
    .where("integration_id", "=", integrationId)
    .where("external_id", "=", externalId)
    .executeTakeFirst();

beforeAll(async () => {
  t = await createTestApp();
  org = await makeOrganization(t, {
    people: [
      { key: "ann", roles: ["learner"] },
      { key: "bo", roles: ["learner"] },
    ],
  });
  people.ann = (org.people.ann as { user: { id: string; email: string } }).user.email;
  people.bo = (org.people.bo as { user: { id: string; email: string } }).user.email;
  const row = await t.system.db
    .insertInto("lms_integrations")
    .values({
      organization_id: org.org.id,
      name: "Campus Moodle",
      code: "moodle",
      lms_type: "moodle",
      method: "api",
      created_by: org.people.admin.user.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  integrationId = row.id;
  lms.courses = [
    course("101", "Fire safety"),
    course("102", "Data protection"),
    course("103", "Forklifts"),
  ];
  lms.enrollments.set("101", [
    enrollment("101", people.ann as string, {
      status: "completed",
      completedAt: new Date("2026-10-20T10:00:00Z"),
      score: 87.5,
      maxScore: 100,
      passingScore: 70,
      grade: "B+",
      credits: 2.5,
      costMinor: 12_000,
      currency: "EUR",
      attempts: 2,
    }),
    enrollment("101", people.bo as string),
    enrollment("101", "stranger@elsewhere.example"),
  ]);
  lms.enrollments.set("102", [enrollment("102", people.ann as string), enrollment("102", null)]);
});
afterAll(() => t.close());

describe("an import run", () => {
  it("mirrors the courses, stores the enrollments page by page and reports every record", async () => {
    const ended = await run();
    expect(ended).toMatchObject({
      status: "partial",
      created_count: 3 + 3,
      skipped_count: 1,
      failed_count: 1,
      unchanged_count: 0,
    });
    const mirrors = await t.system.db
      .selectFrom("courses")
      .select([
        "title",
        "external_id",
        "organization_id",
        "enrollment_type",
        "status",
        "external_url",
      ])
      .where("integration_id", "=", integrationId)
      .orderBy("external_id")
      .execute();
    expect(mirrors).toEqual([
      {
        title: "Fire safety",
        external_id: "101",
        organization_id: org.org.id,
        enrollment_type: "invite",
        status: "published",
        external_url: "https://lms.example/course/101",
      },
      {
        title: "Data protection",
        external_id: "102",
        organization_id: org.org.id,
        enrollment_type: "invite",
        status: "published",
        external_url: "https://lms.example/course/102",
      },
      {
        title: "Forklifts",
        external_id: "103",
        organization_id: org.org.id,
        enrollment_type: "invite",
        status: "published",
        external_url: "https://lms.example/course/103",
      },
    ]);
    const ann = await stored(`101:${people.ann}`);
    expect(ann).toMatchObject({
      user_id: (org.people.ann as { user: { id: string; email: string } }).user.id,
      organization_id: org.org.id,
      source: "integration",
      status: "completed",
      external_status: "completed",
      progress_percent: 100,
      score: 87.5,
      max_score: 100,
      passing_score: 70,
      grade: "B+",
      credits: 2.5,
      amount: 12_000,
      currency: "EUR",
      attempts: 2,
      instructor_name: "Ines Instructor",
      time_spent_seconds: 5400,
    });
    expect(ann?.completed_at?.toISOString()).toBe("2026-10-20T10:00:00.000Z");
    const records = await t.system.db
      .selectFrom("integration_sync_records")
      .select(["entity", "external_id", "outcome", "reason"])
      .where("run_id", "=", ended.id)
      .where("outcome", "in", ["skipped", "failed"])
      .orderBy("external_id")
      .execute();
    expect(records).toEqual([
      {
        entity: "enrollment",
        external_id: "101:stranger@elsewhere.example",
        outcome: "skipped",
        reason: "No member of the organization has the email stranger@elsewhere.example",
      },
      {
        entity: "enrollment",
        external_id: "102:null",
        outcome: "failed",
        reason: "The external system gave no email for this person",
      },
    ]);
    const letters = await t.system.db
      .selectFrom("integration_dead_letters")
      .select(["external_id", "status", "attempts"])
      .where("integration_id", "=", integrationId)
      .execute();
    expect(letters).toEqual([{ external_id: "102:null", status: "open", attempts: 1 }]);
    // The outside progress is in the learning event stream.
    const events = await t.system.db
      .selectFrom("learning_events")
      .select(["event_type", "source"])
      .where("enrollment_id", "=", ann?.id as string)
      .orderBy("event_type")
      .execute();
    expect(events).toEqual([
      { event_type: "course-completed", source: "integration" },
      { event_type: "enrollment-completed", source: "integration" },
      { event_type: "enrollment-created", source: "integration" },
      { event_type: "enrollment-started", source: "integration" },
    ]);
    const counters = await t.system.db
      .selectFrom("courses")
      .select(["enrolled_count", "completed_count"])
      .where("integration_id", "=", integrationId)
      .where("external_id", "=", "101")
      .executeTakeFirstOrThrow();
    expect(counters).toEqual({ enrolled_count: 2, completed_count: 1 });
    const integration = await t.system.db
      .selectFrom("lms_integrations")
      .select(["last_successful_sync_at", "error_count"])
      .where("id", "=", integrationId)
      .executeTakeFirstOrThrow();
    expect(integration.last_successful_sync_at).not.toBeNull();
  });

  it("mirrored courses are read-only in Lyceum", async () => {
    const mirror = await t.system.db
      .selectFrom("courses")
      .select("id")
      .where("integration_id", "=", integrationId)
      .where("external_id", "=", "101")
      .executeTakeFirstOrThrow();
    await expect(updateCourse(t.system, mirror.id, { title: "Renamed" })).rejects.toMatchObject({
      code: "COURSE_EXTERNAL",
    });
  });

  it("a second run asks for what changed since the first and changes nothing unchanged", async () => {
    const first = await t.system.db
      .selectFrom("integration_sync_runs")
      .select("started_at")
      .where("integration_id", "=", integrationId)
      .executeTakeFirstOrThrow();
    lms.sinceSeen = [];
    const before = await t.system.db
      .selectFrom("enrollments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const ended = await run();
    expect(ended).toMatchObject({
      status: "partial",
      created_count: 0,
      updated_count: 0,
      unchanged_count: 6,
      failed_count: 1,
    });
    expect(lms.sinceSeen.every((s) => s?.getTime() === first.started_at?.getTime())).toBe(true);
    const after = await t.system.db
      .selectFrom("enrollments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const letter = await t.system.db
      .selectFrom("integration_dead_letters")
      .select(["attempts", "status"])
      .where("integration_id", "=", integrationId)
      .executeTakeFirstOrThrow();
    expect(letter).toEqual({ attempts: 2, status: "open" });
  });

  it("a dry run shows the changes it would make and writes none", async () => {
    const list = lms.enrollments.get("101") as ExternalEnrollment[];
    list[1] = {
      ...list[1],
      status: "completed",
      completedAt: new Date("2026-11-01T09:00:00Z"),
      score: 91,
    } as ExternalEnrollment;
    lms.courses[2] = course("103", "Forklift driving");
    const ended = await run({ dryRun: true });
    expect(ended).toMatchObject({ status: "partial", dry_run: true, updated_count: 2 });
    const changes = await t.system.db
      .selectFrom("integration_sync_records")
      .select(["external_id", "changes"])
      .where("run_id", "=", ended.id)
      .where("outcome", "=", "updated")
      .orderBy("entity")
      .execute();
    expect(changes[0]).toMatchObject({
      external_id: "103",
      changes: { title: ["Forklifts", "Forklift driving"] },
    });
    expect(changes[1]?.changes).toMatchObject({
      status: ["active", "completed"],
      score: [null, 91],
    });
    expect((await stored(`101:${people.bo}`))?.status).toBe("active");
    const mirror = await t.system.db
      .selectFrom("courses")
      .select("title")
      .where("integration_id", "=", integrationId)
      .where("external_id", "=", "103")
      .executeTakeFirstOrThrow();
    expect(mirror.title).toBe("Forklifts");
  });

  it("a worker that dies mid-run is taken over from the cursor without doing anything twice", async () => {
    const queued = await requestSync(t.system, { id: integrationId, organizationId: org.org.id });
    lms.calls = [];
    lms.failOn = {
      label: "102@0",
      error: new ConnectorError("timeout", "Moodle took longer than 30 s"),
    };
    await expect(runSync(t.system, queued.id, load, { last: false })).rejects.toMatchObject({
      kind: "timeout",
    });
    const halfway = await t.system.db
      .selectFrom("integration_sync_runs")
      .select(["status", "cursor", "updated_count"])
      .where("id", "=", queued.id)
      .executeTakeFirstOrThrow();
    expect(halfway.status).toBe("running");
    expect(halfway.cursor).toMatchObject({
      phase: "enrollments",
      courseIndex: 1,
      enrollmentPage: null,
    });
    expect(halfway.updated_count).toBe(2); // the course title and Bo's completion, committed
    lms.calls = [];
    const ended = await runSync(t.system, queued.id, load);
    // Resumed at the second course: nothing before it was read again.
    expect(lms.calls).toEqual(["102@0", "103@0"]);
    expect(ended).toMatchObject({ status: "partial", updated_count: 2, failed_count: 1 });
    const bo = await stored(`101:${people.bo}`);
    expect(bo).toMatchObject({ status: "completed", score: 91 });
    const completions = await t.system.db
      .selectFrom("learning_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("enrollment_id", "=", bo?.id as string)
      .where("event_type", "=", "course-completed")
      .executeTakeFirstOrThrow();
    expect(Number(completions.n)).toBe(1);
  });

  it("one run at a time per integration", async () => {
    const queued = await requestSync(t.system, { id: integrationId, organizationId: org.org.id });
    await expect(
      requestSync(t.system, { id: integrationId, organizationId: org.org.id }),
    ).rejects.toMatchObject({
      code: "SYNC_IN_PROGRESS",
    });
    await runSync(t.system, queued.id, load);
  });

  it("refused credentials end the run as failed, in words, and mark the integration", async () => {
    lms.failOn = {
      label: "courses@0",
      error: new ConnectorError("auth", "Moodle refused the token: it is invalid or expired"),
    };
    const ended = await run();
    expect(ended).toMatchObject({
      status: "failed",
      error: "Moodle refused the token: it is invalid or expired",
    });
    const integration = await t.system.db
      .selectFrom("lms_integrations")
      .select(["connection_status", "error_count", "last_error"])
      .where("id", "=", integrationId)
      .executeTakeFirstOrThrow();
    expect(integration).toEqual({
      connection_status: "error",
      error_count: 1,
      last_error: "Moodle refused the token: it is invalid or expired",
    });
  });

  it("a dead letter is tried again once what stopped it is fixed", async () => {
    // Carl's record arrives while Carl already has the course from another record.
    const carl = await makeUser(t, { firstName: "Carl" });
    const { addMember } = await import("../../organizations/service.js");
    await addMember(t.system, org.org.id, {
      userId: carl.id,
      roleKeys: ["learner"],
      departmentId: null,
    });
    lms.enrollments.set("103", [
      enrollment("103", carl.email, { externalId: "old-103-carl" }),
      enrollment("103", carl.email, {
        externalId: "new-103-carl",
        status: "completed",
        completedAt: new Date("2026-11-02T09:00:00Z"),
      }),
    ]);
    const ended = await run({ full: true });
    expect(ended.failed_count).toBe(2);
    const letter = await t.system.db
      .selectFrom("integration_dead_letters")
      .select(["id", "error"])
      .where("external_id", "=", "new-103-carl")
      .executeTakeFirstOrThrow();
    expect(letter.error).toBe("The person already has this course from record old-103-carl");
    // The old record is removed over there and here.
    await t.system.db.deleteFrom("enrollments").where("external_id", "=", "old-103-carl").execute();
    const retried = await retryDeadLetters(
      t.system,
      { id: integrationId, organizationId: org.org.id },
      [letter.id],
    );
    expect(retried).toMatchObject({ trigger: "retry", status: "succeeded", created_count: 1 });
    expect((await stored("new-103-carl"))?.status).toBe("completed");
    const after = await t.system.db
      .selectFrom("integration_dead_letters")
      .select("status")
      .where("id", "=", letter.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe("retried");
  });

  it("a cron schedule queues a run when it comes round, in the organization's time zone", async () => {
    const now = t.clock.now();
    await t.system.db
      .updateTable("organizations")
      .set({ timezone: "Europe/Berlin" })
      .where("id", "=", org.org.id)
      .execute();
    await t.system.db
      .updateTable("lms_integrations")
      .set({
        sync_frequency: "cron",
        sync_cron: "0 6 * * *",
        created_at: new Date(now.getTime() - 2 * 86_400_000),
      })
      .where("id", "=", integrationId)
      .execute();
    expect(await queueScheduledSyncs(t.system)).toBe(1);
    const queued = await t.system.db
      .selectFrom("integration_sync_runs")
      .select(["id", "trigger", "status"])
      .where("integration_id", "=", integrationId)
      .where("trigger", "=", "schedule")
      .executeTakeFirstOrThrow();
    expect(queued.status).toBe("queued");
    // Not due again before the next time round.
    expect(await queueScheduledSyncs(t.system)).toBe(0);
    await runSync(t.system, queued.id, load);
    expect(await queueScheduledSyncs(t.system)).toBe(0);
    // 06:00 in Berlin is 05:00 UTC in winter: due once the clock passes it.
    const next = new Date(now.getTime() + 86_400_000);
    next.setUTCHours(5, 0, 30, 0);
    t.clock.set(next);
    expect(await queueScheduledSyncs(t.system)).toBe(1);
    const second = await t.system.db
      .selectFrom("integration_sync_runs")
      .select("id")
      .where("integration_id", "=", integrationId)
      .where("status", "=", "queued")
      .executeTakeFirstOrThrow();
    await runSync(t.system, second.id, load);
  });

  it("repeated failures open an incident that tells the owners, and a good run resolves it", async () => {
    await t.system.db
      .updateTable("lms_integrations")
      .set({
        incident_after_failures: 2,
        sla_hours: 24,
        sync_frequency: "on-demand",
        sync_cron: null,
      })
      .where("id", "=", integrationId)
      .execute();
    const unreachable = () => ({
      label: "courses@0",
      error: new ConnectorError("unreachable", "moodle.example did not answer"),
    });
    lms.failOn = unreachable();
    await run();
    const incidents = () =>
      t.system.db
        .selectFrom("integration_incidents")
        .select(["status", "failures", "last_error"])
        .where("integration_id", "=", integrationId)
        .execute();
    expect(await incidents()).toEqual([]);
    lms.failOn = unreachable();
    await run();
    expect(await incidents()).toEqual([
      { status: "open", failures: 2, last_error: "moodle.example did not answer" },
    ]);
    const told = () =>
      t.system.db
        .selectFrom("notifications")
        .select(["title"])
        .where("user_id", "=", org.people.admin.user.id)
        .where("type", "=", "integration-incident")
        .orderBy("created_at")
        .orderBy("id")
        .execute();
    expect(await told()).toEqual([{ title: "Campus Moodle keeps failing" }]);
    const integration = await t.system.db
      .selectFrom("lms_integrations")
      .select(["id", "sla_hours", "last_successful_sync_at"])
      .where("id", "=", integrationId)
      .executeTakeFirstOrThrow();
    const failing = await integrationHealth(t.system, integration);
    expect(failing.status).toBe("failing");
    expect(failing.openIncident?.failures).toBe(2);

    await run();
    expect(await incidents()).toEqual([
      { status: "resolved", failures: 2, last_error: "moodle.example did not answer" },
    ]);
    expect(await told()).toEqual([
      { title: "Campus Moodle keeps failing" },
      { title: "Campus Moodle works again" },
    ]);
    const after = await t.system.db
      .selectFrom("lms_integrations")
      .select(["id", "sla_hours", "last_successful_sync_at"])
      .where("id", "=", integrationId)
      .executeTakeFirstOrThrow();
    const health = await integrationHealth(t.system, after);
    const runs = await t.system.db
      .selectFrom("integration_sync_runs")
      .select(["status"])
      .where("integration_id", "=", integrationId)
      .where("dry_run", "=", false)
      .execute();
    const ended = runs.filter((r) => ["succeeded", "partial", "failed"].includes(r.status));
    const failed = ended.filter((r) => r.status === "failed").length;
    expect(health).toMatchObject({
      runs: ended.length,
      failed,
      successRate: Math.round(((ended.length - failed) / ended.length) * 1000) / 1000,
      sla: { hours: 24, met: true, hoursSinceSuccess: 0 },
      openIncident: null,
      status: "degraded",
    });
    expect(health.averageLatencyMs).not.toBeNull();
    expect(health.recordsPerRun).toBeGreaterThan(0);
  });

  it("applies the integration's rules to every record, and keeps those they refuse as dead letters", async () => {
    rules = {
      fieldMappings: [{ source: "instructorName", target: "grade" }],
      transformationRules: [
        { op: "uppercase", field: "grade" },
        {
          op: "map-values",
          field: "status",
          values: { "in-progress": "on-hold" },
          otherwise: "keep",
        },
      ],
      validationRules: [
        {
          rule: "pattern",
          field: "person.email",
          pattern: "@(?!elsewhere)",
          message: "Only our people",
        },
      ],
    } as unknown as Rules;
    const ended = await run({ full: true });
    rules = null;
    const bo = await stored(`101:${people.bo}`);
    // Bo completed before; Ann's second course was in progress: now on hold, as the rule says.
    expect(bo?.grade).toBe("INES INSTRUCTOR");
    const annSecond = await stored(`102:${people.ann}`);
    expect(annSecond).toMatchObject({
      external_status: "on-hold",
      status: "suspended",
      grade: "INES INSTRUCTOR",
    });
    const refused = await t.system.db
      .selectFrom("integration_sync_records")
      .select(["external_id", "reason"])
      .where("run_id", "=", ended.id)
      .where("external_id", "=", "101:stranger@elsewhere.example")
      .executeTakeFirstOrThrow();
    expect(refused.reason).toBe(
      "The integration's rules refused the record: person.email: Only our people",
    );
    const letter = await t.system.db
      .selectFrom("integration_dead_letters")
      .select(["status"])
      .where("external_id", "=", "101:stranger@elsewhere.example")
      .executeTakeFirstOrThrow();
    expect(letter.status).toBe("open");
  });
});
