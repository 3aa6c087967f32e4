/**
 * Organization A's objects for the tenancy proof (test/tenancy.test.ts): organizations A and B,
 * one of everything of A's that a route can aim at (with the texts that must never reach B),
 * and a snapshot of every table that holds A's data, to prove that nothing of it changes.
 */

import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { sql } from "kysely";
import { createApiKey } from "../src/modules/access/api-keys.js";
import { PERMISSIONS } from "../src/modules/access/catalog.js";
import { createBankQuestion } from "../src/modules/assessments/bank.js";
import { addQuizQuestion, createQuiz, updateQuiz } from "../src/modules/assessments/quizzes.js";
import { createLesson } from "../src/modules/catalog/content.js";
import type { CourseInput } from "../src/modules/catalog/courses.js";
import { createCourse, publishCourse } from "../src/modules/catalog/courses.js";
import { addCourseFile } from "../src/modules/catalog/files.js";
import { createCohort, transitionCohort } from "../src/modules/cohorts/cohorts.js";
import { addKitItem, addRecording } from "../src/modules/cohorts/materials.js";
import { createAccessCode } from "../src/modules/enrollment/access-codes.js";
import { createAllocation } from "../src/modules/enrollment/allocations.js";
import { enroll } from "../src/modules/enrollment/enroll.js";
import { changeEnrollment } from "../src/modules/enrollment/manage.js";
import { beginCheckout } from "../src/modules/enrollment/payments.js";
import { requestEnrollment } from "../src/modules/enrollment/requests.js";
import { createLookupValue } from "../src/modules/events/lookups.js";
import { createAnnouncement } from "../src/modules/feedback/announcements.js";
import { rateCourse } from "../src/modules/feedback/ratings.js";
import { createIntegration } from "../src/modules/integrations/integrations.js";
import { notify } from "../src/modules/notifications/notify.js";
import { createDraft } from "../src/modules/notifications/template-admin.js";
import { createInvite } from "../src/modules/organizations/invites.js";
import { addMember, createOrganization } from "../src/modules/organizations/service.js";
import {
  addTeamMember,
  createDepartment,
  createTeam,
} from "../src/modules/organizations/structure.js";
import { processNextReportJob } from "../src/modules/reports/runner.js";
import { createScimToken } from "../src/modules/scim/tokens.js";
import { createDefinition } from "../src/modules/workflows/definitions.js";
import { startExecution } from "../src/modules/workflows/engine.js";
import { makeUser, PASSWORD, signIn } from "./factories.js";
import { type Credentials, createTestApp, type TestApp } from "./harness.js";

export interface World {
  t: TestApp;
  fixtures: Record<string, string>;
  memberEmail: string;
  adminB: Credentials;
  keyB: Credentials;
  orgA: string;
  orgB: string;
  secretsOfA: string[];
}

/** Builds organizations A and B, and one of each of A's objects. */
export async function buildWorld(): Promise<World> {
  const t = await createTestApp();
  const ctx = t.system;
  const adminA = await makeUser(t, { firstName: "Alice", lastName: "Alpha" });
  const memberA = await makeUser(t, { firstName: "Marvin", lastName: "Alpha-Member" });
  const adminB = await makeUser(t, { firstName: "Bob", lastName: "Beta" });
  const orgA = await createOrganization(ctx, {
    name: "Alpha Confidential Corp",
    adminUserId: adminA.id,
    domain: "alpha.example",
  });
  const orgB = await createOrganization(ctx, { name: "Beta Inc", adminUserId: adminB.id });
  const domainA = await ctx.db
    .selectFrom("organization_domains")
    .selectAll()
    .where("organization_id", "=", orgA.id)
    .executeTakeFirstOrThrow();
  const department = await createDepartment(ctx, orgA.id, { name: "Alpha Secret Department" });
  await addMember(ctx, orgA.id, {
    userId: memberA.id,
    departmentId: department.id,
    roleKeys: ["learner"],
  });
  const team = await createTeam(ctx, orgA.id, {
    name: "Alpha Secret Team",
    departmentId: department.id,
  });
  await addTeamMember(ctx, orgA.id, team.id, memberA.id, "member");
  const invite = await createInvite({ ...ctx, actor: ctx.actor }, orgA.id, {
    email: "invitee@alpha.example",
    roleKey: "learner",
  });
  const roleA = await ctx.db
    .selectFrom("roles")
    .select("id")
    .where("organization_id", "=", orgA.id)
    .where("key", "=", "manager")
    .executeTakeFirstOrThrow();
  const assignment = await ctx.db
    .selectFrom("user_roles")
    .select("id")
    .where("organization_id", "=", orgA.id)
    .where("user_id", "=", memberA.id)
    .executeTakeFirstOrThrow();
  const orgScopes = PERMISSIONS.filter((p) => p.scope === "organization").map((p) => p.key);
  const keyA = await createApiKey(ctx, orgA.id, {
    name: "Alpha key",
    scopes: orgScopes,
    accessLevel: "full-access",
  });
  const scimTokenA = await createScimToken(ctx, orgA.id, { name: "Alpha provisioning" });
  const keyB = await createApiKey(ctx, orgB.id, {
    name: "Beta key",
    scopes: orgScopes,
    accessLevel: "full-access",
  });
  const sessionA = await signIn(t, memberA.email, PASSWORD);
  const course = await createCourse(ctx, {
    organizationId: orgA.id,
    instructorId: adminA.id,
    code: "ALPHA-101",
    title: "Alpha Confidential Onboarding",
    description: "Internal course of Alpha, visible to Alpha's members only.",
    category: "onboarding",
  });
  const moduleA = await ctx.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", course.id)
    .executeTakeFirstOrThrow();
  const lessonA = await createLesson(ctx, moduleA.id, {
    title: "Alpha secret lesson",
    contentType: "text",
    content: { html: "<p>Alpha only</p>" },
  });
  await publishCourse(ctx, course.id);
  const fileA = await addCourseFile(ctx, course, {
    fileName: "alpha-secret-handbook.pdf",
    stream: Readable.from([Buffer.from("%PDF-1.7\n% Alpha secret file contents\n")]),
    maxBytes: 1024 * 1024,
  });
  const cohortCourse = await createCourse(ctx, {
    organizationId: orgA.id,
    instructorId: adminA.id,
    code: "ALPHA-COHORT",
    title: "Alpha Cohort Programme",
    delivery: "cohort-based",
  });
  const cohortA = await createCohort(ctx, cohortCourse.id, {
    name: "Alpha Secret Cohort",
    startsAt: "2026-05-01T09:00:00Z",
    endsAt: "2026-05-02T17:00:00Z",
    capacity: 20,
  });
  const recordingA = await addRecording(ctx, cohortA.id, {
    title: "Alpha secret recording",
    videoUrl: "https://alpha.example/r.mp4",
  });
  const kitA = await addKitItem(ctx, course.id, {
    title: "Alpha secret slides",
    type: "slides",
    url: "https://alpha.example/s.pdf",
  });
  await transitionCohort(ctx, cohortA.id, "open");
  await ctx.db.updateTable("cohorts").set({ capacity: 1 }).where("id", "=", cohortA.id).execute();
  const cohortCourseLesson = await ctx.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", cohortCourse.id)
    .executeTakeFirstOrThrow();
  await createLesson(ctx, cohortCourseLesson.id, {
    title: "Alpha cohort welcome",
    contentType: "text",
    content: { html: "<p>A</p>" },
  });
  await ctx.db
    .updateTable("courses")
    .set({ description: "Alpha's cohort programme for its own people.", category: "alpha" })
    .where("id", "=", cohortCourse.id)
    .execute();
  await publishCourse(ctx, cohortCourse.id);
  const enrollmentA = await enroll(ctx, {
    userId: memberA.id,
    courseId: course.id,
    source: "admin",
  });
  const adminEnrollment = await enroll(ctx, {
    userId: adminA.id,
    courseId: cohortCourse.id,
    cohortId: cohortA.id,
    source: "admin",
  });
  if (adminEnrollment.kind !== "enrolled") throw new Error("fixture: admin not enrolled");
  // Completing it issues A's certificate.
  await changeEnrollment(ctx, adminEnrollment.enrollment.id, "complete");
  const certificateA = await ctx.db
    .selectFrom("certificates")
    .select("id")
    .where("enrollment_id", "=", adminEnrollment.enrollment.id)
    .executeTakeFirstOrThrow();
  const waitlisted = await enroll(ctx, {
    userId: memberA.id,
    courseId: cohortCourse.id,
    cohortId: cohortA.id,
    source: "self",
    waitlist: true,
  });
  const privateCourse = async (code: string, title: string, extra: Partial<CourseInput>) => {
    const c = await createCourse(ctx, {
      organizationId: orgA.id,
      instructorId: adminA.id,
      code,
      title,
      description: "Another internal course of Alpha, for its members only.",
      category: "onboarding",
      ...extra,
    });
    const m = await ctx.db
      .selectFrom("modules")
      .select("id")
      .where("course_id", "=", c.id)
      .executeTakeFirstOrThrow();
    await createLesson(ctx, m.id, {
      title: "Intro",
      contentType: "text",
      content: { html: "<p>A</p>" },
    });
    return publishCourse(ctx, c.id);
  };
  const approvalCourse = await privateCourse("ALPHA-APPROVAL", "Alpha Approval Course", {
    enrollmentType: "approval",
  });
  const requestA = await requestEnrollment(ctx, memberA.id, {
    courseId: approvalCourse.id,
    reason: "Alpha secret reason",
  });
  const paidCourse = await privateCourse("ALPHA-PAID", "Alpha Paid Course", {
    enrollmentType: "paid",
    priceAmount: 12_000,
    currency: "EUR",
  });
  const checkoutA = await beginCheckout(ctx, memberA.id, {
    courseId: paidCourse.id,
    method: "card",
  });
  const codeA = await createAccessCode(ctx, course.id, {
    code: "ALPHA-SECRET-CODE",
    maxUses: 3,
  });
  const allocationA = await createAllocation(ctx, orgA.id, {
    courseId: paidCourse.id,
    seats: 10,
  });
  await t.http.post(`/api/v1/lessons/${lessonA.id}/start`, {}, sessionA);
  const bookmarkA = await t.http.post(
    `/api/v1/lessons/${lessonA.id}/bookmarks`,
    { position: 42, note: "Alpha secret bookmark" },
    sessionA,
  );
  if (bookmarkA.status !== 201) throw new Error(`bookmark fixture: ${bookmarkA.status}`);
  const ratingA = await rateCourse(ctx, memberA.id, course.id, {
    rating: 4,
    content: "Alpha secret review",
  });
  const announcementA = await createAnnouncement(ctx, course.id, {
    title: "Alpha secret announcement",
    content: "<p>For Alpha only</p>",
  });
  const questionA = await createBankQuestion(ctx, orgA.id, {
    title: "Alpha secret question",
    question: {
      type: "true-false",
      text: "Alpha secret question text",
      correct: true,
      points: 1,
      negativePoints: 0,
      hints: [],
      skillIds: [],
    },
  });
  const quizA = await createQuiz(ctx, moduleA.id, { title: "Alpha secret quiz" });
  const quizQuestionA = await addQuizQuestion(ctx, quizA.id, { bankQuestionId: questionA.id });
  await updateQuiz(ctx, quizA.id, { isPublished: true });
  const attemptA = await t.http.post(`/api/v1/quizzes/${quizA.id}/start`, {}, sessionA);
  if (attemptA.status !== 201) throw new Error(`attempt fixture: ${attemptA.status}`);
  await t.http.post(
    `/api/v1/attempts/${attemptA.body.data.id}/submit`,
    { answers: [{ questionId: quizQuestionA.id, response: { value: true } }] },
    sessionA,
  );
  // Report files need reports:export, which A's learner does not hold: A's administrator
  // queues the report and schedules it.
  const adminSessionA = await signIn(t, adminA.email, PASSWORD);
  const jobA = await t.http.post(
    `/api/v1/organizations/${orgA.id}/report-jobs`,
    {
      name: "Alpha secret report",
      definition: { measures: [{ id: "n", type: "count" }] },
      outputFormat: "csv",
    },
    adminSessionA,
  );
  if (jobA.status !== 201) throw new Error(`report job fixture: ${jobA.status}`);
  await processNextReportJob(t.lyceum.services, "tenancy-worker");
  const templateA = await t.http.post(
    `/api/v1/organizations/${orgA.id}/report-templates`,
    {
      name: "Alpha secret template",
      definition: { measures: [{ id: "n", type: "count" }] },
      visibility: "organization",
    },
    sessionA,
  );
  if (templateA.status !== 201) throw new Error(`template fixture: ${templateA.status}`);
  const scheduleA = await t.http.post(
    `/api/v1/organizations/${orgA.id}/report-schedules`,
    {
      name: "Alpha secret schedule",
      templateId: templateA.body.data.id,
      frequency: "weekly",
      dayOfWeek: 1,
      timezone: "Europe/Paris",
      visibility: "organization",
    },
    adminSessionA,
  );
  if (scheduleA.status !== 201) throw new Error(`schedule fixture: ${scheduleA.status}`);
  const notificationA = await notify(ctx, {
    userId: memberA.id,
    organizationId: orgA.id,
    type: "enrollment-assigned",
    variables: { courseTitle: "Alpha secret assignment" },
  });
  const notificationTemplateA = await createDraft(ctx, orgA.id, {
    type: "course-completed",
    channel: "email",
    language: "en",
    subject: "Alpha secret notification template",
    body: "Well done, {{firstName}}.",
  });
  const lookupA = await createLookupValue(ctx, orgA.id, {
    category: "activity-event",
    key: "alpha-secret-drill",
    displayAs: "Alpha Secret Drill",
  });
  const integrationA = await createIntegration(ctx, orgA.id, {
    name: "Alpha secret integration",
    code: "alpha-moodle",
    lmsType: "moodle",
    method: "api",
    authType: "api-token",
    credentials: { token: "alpha-secret-moodle-token" },
    baseUrl: "https://moodle.alpha.example",
    ownerIds: [adminA.id],
  });
  const runA = await ctx.db
    .insertInto("integration_sync_runs")
    .values({
      organization_id: orgA.id,
      integration_id: integrationA.id,
      trigger: "manual",
      status: "partial",
      failed_count: 1,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await ctx.db
    .insertInto("integration_sync_records")
    .values({
      run_id: runA.id,
      organization_id: orgA.id,
      entity: "enrollment",
      external_id: "alpha-secret-record",
      outcome: "failed",
      reason: "Alpha secret reason of a sync",
    })
    .execute();
  const letterA = await ctx.db
    .insertInto("integration_dead_letters")
    .values({
      organization_id: orgA.id,
      integration_id: integrationA.id,
      run_id: runA.id,
      entity: "enrollment",
      external_id: "alpha-secret-record",
      payload: JSON.stringify({
        externalId: "alpha-secret-record",
        courseExternalId: "alpha-course",
        person: { email: memberA.email },
      }),
      error: "Alpha secret reason of a sync",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const fileImportA = await ctx.db
    .insertInto("integration_file_imports")
    .values({
      organization_id: orgA.id,
      integration_id: integrationA.id,
      file_name: "alpha-secret-completions.csv",
      format: "csv",
      size_bytes: 10,
      storage_key: `integration-files/${orgA.id}/alpha.csv`,
      columns: JSON.stringify(["email", "course_id", "course_title"]),
      row_count: 1,
      samples: JSON.stringify([[memberA.email, "alpha-course", "Alpha secret course"]]),
      column_mapping: JSON.stringify({
        email: "email",
        courseExternalId: "course_id",
        courseTitle: "course_title",
      }),
      run_id: runA.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const courseLinkA = await ctx.db
    .insertInto("integration_course_links")
    .values({
      organization_id: orgA.id,
      integration_id: integrationA.id,
      course_id: course.id,
      external_course_id: "alpha-secret-external-course",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const webhookA = await ctx.db
    .insertInto("webhook_endpoints")
    .values({
      organization_id: orgA.id,
      url: "https://alpha.example.org/hooks",
      description: "Alpha secret webhook",
      event_types: ["enrollment.created"],
      secret_sealed: ctx.secrets.seal("whsec_alpha-secret-signing", "webhook-endpoint:planted"),
      secret_key_id: ctx.secrets.keyId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const webhookDeliveryA = await ctx.db
    .insertInto("webhook_deliveries")
    .values({
      organization_id: orgA.id,
      endpoint_id: webhookA.id,
      event_id: webhookA.id,
      event_type: "enrollment.created",
      payload: JSON.stringify({ data: { note: "Alpha secret webhook payload" } }),
      status: "dead",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const requirementA = await ctx.db
    .insertInto("compliance_requirements")
    .values({
      organization_id: orgA.id,
      name: "Alpha secret requirement",
      jurisdiction: "EU",
      course_id: course.id,
      reminder_offsets_days: [7],
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const ruleA = await ctx.db
    .insertInto("compliance_rules")
    .values({
      organization_id: orgA.id,
      requirement_id: requirementA.id,
      scope: "department",
      department_id: department.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const exemptionA = await ctx.db
    .insertInto("compliance_exemptions")
    .values({
      organization_id: orgA.id,
      requirement_id: requirementA.id,
      user_id: memberA.id,
      reason: "Alpha secret exemption",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // A data subject request of A (a restriction: in force at once, no job to run).
  const privacyRequestA = await ctx.db
    .insertInto("privacy_requests")
    .values({
      organization_id: orgA.id,
      type: "restriction",
      status: "completed",
      subject_user_id: memberA.id,
      requested_by: adminA.id,
      reason: "Alpha secret privacy reason",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // A line of A's archival log with its archive file.
  const archiveKeyA = `retention/${orgA.id}/learning-events/alpha.jsonl.gz`;
  const archiveBodyA = gzipSync(`${JSON.stringify({ learner_id: memberA.id })}\n`);
  await ctx.storage.put(archiveKeyA, archiveBodyA, "application/gzip");
  const archiveA = await ctx.db
    .insertInto("retention_archives")
    .values({
      organization_id: orgA.id,
      category: "learning-events",
      action: "archive",
      range_to: new Date("2026-01-01T00:00:00Z"),
      row_count: 1,
      file_key: archiveKeyA,
      file_size: archiveBodyA.length,
      checksum: "alpha",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // A workflow of A with an execution waiting for A's administrators.
  const workflowA = await createDefinition(ctx, orgA.id, {
    name: "Alpha secret workflow",
    trigger: { type: "manual" },
    steps: [{ type: "approval", approver: { kind: "role", role: "org-admin" } }],
  });
  const workflowExecutionA = await startExecution(
    ctx,
    workflowA,
    { trigger: "manual", subjectUserId: memberA.id },
    { advance: true },
  );
  return {
    t,
    orgA: orgA.id,
    orgB: orgB.id,
    memberEmail: memberA.email,
    adminB: await signIn(t, adminB.email, PASSWORD),
    keyB: { apiKey: keyB.secret },
    fixtures: {
      organizationId: orgA.id,
      userId: memberA.id,
      learnerId: memberA.id,
      departmentId: department.id,
      teamId: team.id,
      inviteId: invite.invite.id,
      domainId: domainA.id,
      roleId: roleA.id,
      assignmentId: assignment.id,
      apiKeyId: keyA.key.id,
      scimTokenId: scimTokenA.token.id,
      sessionId: sessionA.sessionId,
      courseId: course.id,
      moduleId: moduleA.id,
      lessonId: lessonA.id,
      fileId: fileA.id,
      lookupValueId: lookupA.id,
      cohortId: cohortA.id,
      recordingId: recordingA.id,
      kitItemId: kitA.id,
      enrollmentId: enrollmentA.kind === "enrolled" ? enrollmentA.enrollment.id : "",
      notificationId: notificationA?.id ?? "",
      requestId: requestA.id,
      approvalCourseId: approvalCourse.id,
      paidCourseId: paidCourse.id,
      paymentId: checkoutA.payment.id,
      accessCodeId: codeA.id,
      allocationId: allocationA.id,
      provider: "local",
      bookmarkId: bookmarkA.body.data.id,
      certificateId: certificateA.id,
      ratingId: ratingA.id,
      questionId: questionA.id,
      quizId: quizA.id,
      quizQuestionId: quizQuestionA.id,
      attemptId: attemptA.body.data.id,
      jobId: jobA.body.data.id,
      templateId: templateA.body.data.id,
      scheduleId: scheduleA.body.data.id,
      announcementId: announcementA.id,
      integrationId: integrationA.id,
      runId: runA.id,
      deadLetterId: letterA.id,
      fileImportId: fileImportA.id,
      courseLinkId: courseLinkA.id,
      webhookId: webhookA.id,
      webhookDeliveryId: webhookDeliveryA.id,
      entryId: waitlisted.kind === "waitlisted" ? waitlisted.entry.id : "",
      requirementId: requirementA.id,
      ruleId: ruleA.id,
      exemptionId: exemptionA.id,
      privacyRequestId: privacyRequestA.id,
      archiveId: archiveA.id,
      notificationTemplateId: notificationTemplateA.id,
      workflowId: workflowA.id,
      workflowExecutionId: workflowExecutionA.id,
    },
    secretsOfA: [
      orgA.name,
      memberA.email,
      adminA.email,
      department.name,
      team.name,
      "invitee@alpha.example",
      domainA.verification_token,
      "Alpha secret assignment",
      "Alpha secret reason",
      "ALPHA-SECRET-CODE",
      "Alpha Paid Course",
      "Alpha Approval Course",
      "Alpha secret bookmark",
      "Alpha secret review",
      "Alpha secret question",
      "Alpha secret quiz",
      "Alpha secret report",
      "Alpha secret template",
      "Alpha secret schedule",
      "Alpha secret announcement",
      "alpha-secret-handbook",
      "Alpha secret file contents",
      "Alpha secret integration",
      "alpha-secret-moodle-token",
      "alpha-secret-record",
      "Alpha secret reason of a sync",
      integrationA.credentials_sealed as string,
      "Alpha secret webhook",
      "Alpha secret requirement",
      "Alpha secret exemption",
      "Alpha secret notification template",
      "Alpha secret workflow",
    ],
  };
}

/** Everything organization A owns, to prove that nothing of it changes. */
export async function snapshotOfA(w: World): Promise<string> {
  const db = w.t.system.db;
  const org = w.orgA;
  const rows = await Promise.all([
    db.selectFrom("organizations").selectAll().where("id", "=", org).execute(),
    db
      .selectFrom("organization_members")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("departments")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db.selectFrom("teams").selectAll().where("organization_id", "=", org).orderBy("id").execute(),
    db
      .selectFrom("team_members")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("user_id")
      .execute(),
    db
      .selectFrom("organization_invites")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("organization_domains")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db.selectFrom("roles").selectAll().where("organization_id", "=", org).orderBy("id").execute(),
    sql`select rp.* from role_permissions rp join roles r on r.id = rp.role_id where r.organization_id = ${org} order by rp.role_id, rp.permission_key`.execute(
      db,
    ),
    db
      .selectFrom("user_roles")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("api_keys")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("scim_tokens")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("audit_logs")
      .select(sql<number>`count(*)`.as("n"))
      .where("organization_id", "=", org)
      .execute(),
    db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", w.fixtures.userId as string)
      .execute(),
    db
      .selectFrom("user_sessions")
      .selectAll()
      .where("id", "=", w.fixtures.sessionId as string)
      .execute(),
    db
      .selectFrom("enrollments")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("waitlist_entries")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("notifications")
      .selectAll()
      .where("user_id", "=", w.fixtures.userId as string)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("file_uploads")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("question_bank")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("quizzes")
      .selectAll()
      .where("course_id", "=", w.fixtures.courseId as string)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("quiz_questions")
      .selectAll()
      .where("quiz_id", "=", w.fixtures.quizId as string)
      .orderBy("id")
      .execute(),
    ...(["quiz_attempts", "quiz_results", "learning_gains"] as const).map((table) =>
      db
        .selectFrom(table)
        .selectAll()
        .where("enrollment_id", "=", w.fixtures.enrollmentId as string)
        .execute(),
    ),
    db
      .selectFrom("lms_integrations")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    ...(
      [
        "integration_sync_runs",
        "integration_dead_letters",
        "integration_incidents",
        "integration_file_imports",
        "compliance_requirements",
        "compliance_rules",
        "compliance_assignments",
        "compliance_exemptions",
        "compliance_reminders",
      ] as const
    ).map((table) =>
      db.selectFrom(table).selectAll().where("organization_id", "=", org).orderBy("id").execute(),
    ),
    db
      .selectFrom("enrollments")
      .selectAll()
      .where("organization_id", "=", org)
      .where("source", "=", "integration")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("report_schedules")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("report_templates")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("report_jobs")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("quiz_answers")
      .selectAll()
      .where("attempt_id", "=", w.fixtures.attemptId as string)
      .orderBy("id")
      .execute(),
    ...(
      [
        "enrollment_requests",
        "access_codes",
        "payments",
        "course_seat_allocations",
        "webhook_endpoints",
        "webhook_deliveries",
      ] as const
    ).map((table) =>
      db.selectFrom(table).selectAll().where("organization_id", "=", org).orderBy("id").execute(),
    ),
    ...(["notification_templates", "notification_deliveries"] as const).map((table) =>
      db.selectFrom(table).selectAll().where("organization_id", "=", org).orderBy("id").execute(),
    ),
    db.selectFrom("notification_settings").selectAll().where("organization_id", "=", org).execute(),
    ...(
      [
        "workflow_definitions",
        "workflow_definition_versions",
        "workflow_executions",
        "workflow_execution_events",
      ] as const
    ).map((table) =>
      db.selectFrom(table).selectAll().where("organization_id", "=", org).orderBy("id").execute(),
    ),
  ]);
  return JSON.stringify(rows);
}
