/**
 * Organization B's own objects for the reference walk (test/tenancy-references.test.ts): with
 * them every body and query can be filled with B's ids so that it would pass the reference
 * check, and then one field at a time is aimed at organization A's object of the same kind.
 */
import { createBankQuestion } from "../src/modules/assessments/bank.js";
import { addQuizQuestion, createQuiz, updateQuiz } from "../src/modules/assessments/quizzes.js";
import { createCohort, transitionCohort } from "../src/modules/cohorts/cohorts.js";
import { enroll } from "../src/modules/enrollment/enroll.js";
import { createIntegration } from "../src/modules/integrations/integrations.js";
import { addMember } from "../src/modules/organizations/service.js";
import { createDepartment, createTeam } from "../src/modules/organizations/structure.js";
import { createDefinition } from "../src/modules/workflows/definitions.js";
import { makeUser, PASSWORD, publishedCourse, signIn } from "./factories.js";
import type { Credentials } from "./harness.js";
import type { World } from "./tenancy-fixtures.js";

export interface WorldOfB {
  /** B's objects, keyed like World.fixtures (path parameters and body placeholders). */
  fixtures: Record<string, string>;
  /** A platform administrator, for platform routes that name an organization in the path. */
  platformAdmin: Credentials;
  /** The learner whose attempt `fixtures.attemptId` is: routes bound by it answer only them. */
  attemptTaker: Credentials;
}

/** Builds one of each object of B's that a body or query can name. */
export async function buildWorldOfB(w: World): Promise<WorldOfB> {
  const { t, orgB } = w;
  const ctx = t.system;
  const adminB = await ctx.db
    .selectFrom("organization_members as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select("u.id")
    .where("m.organization_id", "=", orgB)
    .executeTakeFirstOrThrow();
  const member = await makeUser(t, { firstName: "Bea", lastName: "Beta-Member" });
  const department = await createDepartment(ctx, orgB, { name: "Beta Department" });
  await addMember(ctx, orgB, {
    userId: member.id,
    departmentId: department.id,
    roleKeys: ["learner"],
  });
  const team = await createTeam(ctx, orgB, { name: "Beta Team", departmentId: department.id });
  const course = await publishedCourse(t, {
    organizationId: orgB,
    instructorId: adminB.id,
    code: "BETA-101",
    title: "Beta Onboarding",
  });
  const module = await ctx.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", course.id)
    .executeTakeFirstOrThrow();
  const lesson = await ctx.db
    .selectFrom("lessons")
    .select("id")
    .where("module_id", "=", module.id)
    .executeTakeFirstOrThrow();
  const cohortCourse = await publishedCourse(t, {
    organizationId: orgB,
    instructorId: adminB.id,
    code: "BETA-COHORT",
    title: "Beta Cohort Programme",
    delivery: "cohort-based",
  });
  const cohort = await createCohort(ctx, cohortCourse.id, {
    name: "Beta Cohort",
    startsAt: "2026-05-01T09:00:00Z",
    endsAt: "2026-05-02T17:00:00Z",
    capacity: 20,
  });
  await transitionCohort(ctx, cohort.id, "open");
  const enrolled = await enroll(ctx, { userId: member.id, courseId: course.id, source: "admin" });
  if (enrolled.kind !== "enrolled") throw new Error("fixture: B's member not enrolled");
  const question = await createBankQuestion(ctx, orgB, {
    title: "Beta question",
    question: {
      type: "true-false",
      text: "Beta?",
      correct: true,
      points: 1,
      negativePoints: 0,
      hints: [],
      skillIds: [],
    },
  });
  const quiz = await createQuiz(ctx, module.id, { title: "Beta quiz" });
  const quizQuestion = await addQuizQuestion(ctx, quiz.id, { bankQuestionId: question.id });
  await updateQuiz(ctx, quiz.id, { isPublished: true });
  const memberSession = await signIn(t, member.email, PASSWORD);
  const attempt = await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, memberSession);
  if (attempt.status !== 201) throw new Error(`fixture: B's attempt ${attempt.status}`);
  const template = await t.http.post(
    `/api/v1/organizations/${orgB}/report-templates`,
    {
      name: "Beta template",
      definition: { measures: [{ id: "n", type: "count" }] },
      visibility: "organization",
    },
    w.adminB,
  );
  if (template.status !== 201) throw new Error(`fixture: B's template ${template.status}`);
  const integration = await createIntegration(ctx, orgB, {
    name: "Beta integration",
    code: "beta-canvas",
    lmsType: "canvas",
    method: "api",
    authType: "api-token",
    credentials: { token: "beta-token" },
    baseUrl: "https://canvas.beta.example",
  });
  const letter = await ctx.db
    .insertInto("integration_dead_letters")
    .values({
      organization_id: orgB,
      integration_id: integration.id,
      entity: "enrollment",
      external_id: "beta-record",
      payload: JSON.stringify({
        externalId: "beta-record",
        courseExternalId: "beta-course",
        person: { email: member.email },
      }),
      error: "Beta reason",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const fileImport = await ctx.db
    .insertInto("integration_file_imports")
    .values({
      organization_id: orgB,
      integration_id: integration.id,
      file_name: "beta.csv",
      format: "csv",
      size_bytes: 10,
      storage_key: `integration-files/${orgB}/beta.csv`,
      columns: JSON.stringify(["email"]),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const requirement = await ctx.db
    .insertInto("compliance_requirements")
    .values({
      organization_id: orgB,
      name: "Beta requirement",
      jurisdiction: "EU",
      course_id: course.id,
      reminder_offsets_days: [7],
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const rule = await ctx.db
    .insertInto("compliance_rules")
    .values({ organization_id: orgB, requirement_id: requirement.id, scope: "everyone" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const exemption = await ctx.db
    .insertInto("compliance_exemptions")
    .values({
      organization_id: orgB,
      requirement_id: requirement.id,
      user_id: member.id,
      reason: "Beta reason",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const workflow = await createDefinition(ctx, orgB, {
    name: "Beta workflow",
    trigger: { type: "manual" },
    steps: [{ type: "wait", hours: 1 }],
  });
  const platformAdmin = await makeUser(t, { platformAdmin: true });
  return {
    platformAdmin: await signIn(t, platformAdmin.email, PASSWORD),
    attemptTaker: memberSession,
    fixtures: {
      organizationId: orgB,
      userId: member.id,
      learnerId: member.id,
      memberEmail: member.email,
      departmentId: department.id,
      teamId: team.id,
      courseId: course.id,
      approvalCourseId: course.id,
      paidCourseId: course.id,
      moduleId: module.id,
      lessonId: lesson.id,
      cohortId: cohort.id,
      cohortCourseId: cohortCourse.id,
      enrollmentId: enrolled.enrollment.id,
      questionId: question.id,
      quizId: quiz.id,
      quizQuestionId: quizQuestion.id,
      attemptId: attempt.body.data.id,
      templateId: template.body.data.id,
      integrationId: integration.id,
      deadLetterId: letter.id,
      fileImportId: fileImport.id,
      requirementId: requirement.id,
      ruleId: rule.id,
      exemptionId: exemption.id,
      workflowId: workflow.id,
    },
  };
}
