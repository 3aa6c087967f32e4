import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type MoodleFake,
  startMoodleFake,
} from "../../src/modules/integrations/fakes/moodle-fake.js";
import { createIntegration } from "../../src/modules/integrations/integrations.js";
import { addMember } from "../../src/modules/organizations/service.js";
import { makeOrganization, makeUser, PASSWORD, publishedCourse } from "../../test/factories.js";
import { drainJobs } from "../../test/jobs.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * The export direction: an organization administrator links a Lyceum course to a course of a
 * Moodle (a local fake speaking Moodle's web services on 127.0.0.1), sends, and reads in the
 * run's report the people and enrollments sent and the completion Moodle cannot take.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let moodle: MoodleFake;
let orgId = "";
let adminEmail = "";
let integrationId = "";

/** Works the queue until the runs it started are done. */
const work = () => drainJobs(server.app, ["integrations.sync"]);

beforeAll(async () => {
  moodle = await startMoodleFake({ courses: 2, enrollmentsPerCourse: 2 });
  journey = await openJourney();
  ({ server, page, app } = journey);
  const made = await makeOrganization(server.app, { name: "Quay Logistics" });
  orgId = made.org.id;
  adminEmail = made.people.admin.user.email;
  const course = await publishedCourse(server.app, {
    organizationId: orgId,
    code: "FORK-1",
    title: "Forklift safety",
    instructorId: made.people.admin.user.id,
  });
  for (const [email, first, completed] of [
    ["rosa@quay.example", "Rosa", true],
    ["tom@quay.example", "Tom", false],
  ] as const) {
    const user = await makeUser(server.app, { email, firstName: first, lastName: "Quay" });
    await addMember(server.app.system, orgId, {
      userId: user.id,
      roleKeys: ["learner"],
      departmentId: null,
    });
    await server.app.system.db
      .insertInto("enrollments")
      .values({
        user_id: user.id,
        course_id: course.id,
        organization_id: orgId,
        status: completed ? "completed" : "active",
        completed_at: completed ? new Date("2026-11-20T10:00:00Z") : null,
      })
      .execute();
  }
  const integration = await createIntegration(server.app.system, orgId, {
    name: "Quay Moodle",
    code: "quay-moodle",
    lmsType: "moodle",
    method: "api",
    authType: "api-token",
    credentials: { token: moodle.token },
    baseUrl: moodle.url,
    direction: "both",
    ownerIds: [made.people.admin.user.id],
  });
  integrationId = integration.id;
});

afterAll(async () => {
  await journey?.close();
  await moodle?.close();
});

describe("Integrations, export", () => {
  it("links a Lyceum course to a course in Moodle", async () => {
    await app.open("/");
    expect((await app.signIn(adminEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open(`/integrations/${integrationId}`);
    await app.expectHeading("Quay Moodle");
    const section = page.getByRole("region", { name: "Sent to the system" });
    await section.getByRole("heading", { name: "No linked courses" }).waitFor();
    expect(await section.getByRole("button", { name: "Send now" }).isDisabled()).toBe(true);
    await checkPage(page, "integration, no course links");

    await section.getByRole("combobox", { name: /^Lyceum course/ }).fill("Fork");
    await page.getByRole("option", { name: "Forklift safety" }).click();
    await section.getByRole("textbox", { name: /^Course id in the system/ }).fill("2");
    const added = await afterResponse(
      page,
      `/api/v1/lms-integrations/${integrationId}/course-links`,
      () => section.getByRole("button", { name: "Link course" }).click(),
    );
    expect(added.status()).toBe(201);
    await section.getByText("Course linked.").waitFor();
    await section.getByRole("cell", { name: /^Forklift safety/ }).waitFor();
    const links = await server.app.system.db
      .selectFrom("integration_course_links")
      .select("external_course_id")
      .where("integration_id", "=", integrationId)
      .execute();
    expect(links).toEqual([{ external_course_id: "2" }]);
    await checkPage(page, "integration, course linked");
  });

  it("sends, and the run's report lists what went and the completion Moodle cannot take", async () => {
    const section = page.getByRole("region", { name: "Sent to the system" });
    const started = await afterResponse(
      page,
      `/api/v1/lms-integrations/${integrationId}/exports`,
      () => section.getByRole("button", { name: "Send now" }).click(),
    );
    expect(started.status()).toBe(202);
    await section.getByText("Sending: the run is listed below.").waitFor();
    await work();
    expect(moodle.users.map((u) => u.email)).toEqual(["rosa@quay.example", "tom@quay.example"]);
    expect(moodle.enrolments.map((e) => e.courseid)).toEqual([2, 2]);
    const runs = page.getByRole("region", { name: "Sync runs" });
    const row = runs.getByRole("row", { name: /Export from Lyceum/ });
    await row.getByText("Succeeded").waitFor();
    await row.getByRole("link").click();
    await app.expectHeading(/run of/);
    await page.getByText("rosa@quay.example", { exact: true }).first().waitFor();
    await page
      .getByText(/Moodle's web services cannot mark course 2 completed/)
      .first()
      .waitFor();
    await checkPage(page, "export run report");
  });
});
