import type { UserRow } from "../src/db/schema.js";
import { roleIdByKey } from "../src/modules/access/provision.js";
import { createLesson } from "../src/modules/catalog/content.js";
import { type CourseInput, createCourse, publishCourse } from "../src/modules/catalog/courses.js";
import { createUser } from "../src/modules/identity/auth.js";
import { sha256 } from "../src/platform/crypto.js";
import type { Credentials, TestApp } from "./harness.js";

export const PASSWORD = "Correct-Horse-9!";

let counter = 0;
export function uniqueEmail(prefix = "person"): string {
  counter += 1;
  return `${prefix}.${process.pid}.${counter}@example.com`;
}

/** A verified, active person (optionally a platform administrator). */
export async function makeUser(
  t: TestApp,
  overrides: {
    email?: string;
    firstName?: string;
    lastName?: string;
    verified?: boolean;
    platformAdmin?: boolean;
    password?: string;
  } = {},
): Promise<UserRow> {
  const user = await createUser(t.system, {
    email: overrides.email ?? uniqueEmail(),
    password: overrides.password ?? PASSWORD,
    firstName: overrides.firstName ?? "Ada",
    lastName: overrides.lastName ?? "Lovelace",
    emailVerified: overrides.verified ?? true,
  });
  if (overrides.platformAdmin) {
    const roleId = await roleIdByKey(t.system.db, null, "platform-admin");
    await t.system.db
      .insertInto("user_roles")
      .values({ user_id: user.id, role_id: roleId as string })
      .execute();
  }
  return user;
}

/** Signs in through the API and returns bearer credentials. */
export async function signIn(
  t: TestApp,
  email: string,
  password = PASSWORD,
): Promise<Credentials & { refreshToken: string; sessionId: string }> {
  const res = await t.http.post("/api/v1/auth/login", { email, password });
  if (res.status !== 200)
    throw new Error(`sign-in failed for ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    token: res.body.data.tokens.accessToken,
    refreshToken: res.body.data.tokens.refreshToken,
    sessionId: res.body.data.sessionId,
  };
}

/** A verified person, signed in. */
export async function signedInUser(t: TestApp, overrides: Parameters<typeof makeUser>[1] = {}) {
  const user = await makeUser(t, overrides);
  const creds = await signIn(t, user.email, overrides.password ?? PASSWORD);
  return { user, ...creds };
}

/**
 * An organization with an administrator (signed in), optionally more people by role.
 * Returns ids and credentials for each person, keyed by role.
 */
export async function makeOrganization(
  t: TestApp,
  options: {
    name?: string;
    domain?: string;
    seats?: number | null;
    people?: Array<{ key: string; roles: string[]; departmentId?: string }>;
  } = {},
) {
  const { createOrganization, addMember } = await import("../src/modules/organizations/service.js");
  const admin = await makeUser(t, { firstName: "Org", lastName: "Admin" });
  const org = await createOrganization(t.system, {
    name: options.name ?? `Org ${uniqueEmail("org").split("@")[0]}`,
    domain: options.domain ?? null,
    autoJoin: !!options.domain,
    seatsPurchased: options.seats ?? null,
    adminUserId: admin.id,
  });
  type Person = { user: UserRow } & Credentials;
  const people: { admin: Person } & Record<string, Person> = {
    admin: { user: admin, ...(await signIn(t, admin.email)) },
  };
  for (const person of options.people ?? []) {
    const user = await makeUser(t, { firstName: person.key, lastName: "Person" });
    await addMember(t.system, org.id, {
      userId: user.id,
      roleKeys: person.roles,
      departmentId: person.departmentId ?? null,
    });
    people[person.key] = { user, ...(await signIn(t, user.email)) };
  }
  return { org, people };
}

/**
 * A published course with one text lesson in its first module. `input` needs at least code,
 * title and instructorId; description and category get test defaults.
 */
export async function publishedCourse(
  t: TestApp,
  input: Partial<CourseInput> & Pick<CourseInput, "code" | "title" | "instructorId">,
) {
  const course = await draftCourse(t, input);
  return publishCourse(t.system, course.id);
}

/** A draft course with one text lesson, ready to be published. */
export async function draftCourse(
  t: TestApp,
  input: Partial<CourseInput> & Pick<CourseInput, "code" | "title" | "instructorId">,
) {
  const course = await createCourse(t.system, {
    description: "A course used to test the learning loop end to end.",
    category: "testing",
    ...input,
  });
  const intro = await t.system.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", course.id)
    .executeTakeFirstOrThrow();
  await createLesson(t.system, intro.id, {
    title: "Welcome",
    contentType: "text",
    content: { html: "<p>Hi</p>" },
  });
  return course;
}

/**
 * The token of the invitation link last mailed for `inviteId`, read from the mail outbox as the
 * invited person would read it (only its hash is stored, and no API answer carries it).
 */
export async function mailedInviteToken(t: TestApp, inviteId: string): Promise<string> {
  const invite = await t.system.db
    .selectFrom("organization_invites")
    .select(["email", "token_hash"])
    .where("id", "=", inviteId)
    .executeTakeFirstOrThrow();
  const mails = await t.system.db
    .selectFrom("mail_outbox")
    .select("text_body")
    .where("to_address", "=", invite.email)
    .where("template", "=", "organization-invite")
    .execute();
  for (const mail of mails) {
    const token = decodeURIComponent(/token=([\w-]+)/.exec(mail.text_body)?.[1] ?? "");
    if (sha256(token) === invite.token_hash) return token;
  }
  throw new Error(`no mail to ${invite.email} carries the link of invitation ${inviteId}`);
}

/**
 * Registers an account the way a visitor does and confirms its address through the link the
 * verification mail carries; answers the confirmation's response.
 */
export async function registerAndVerify(t: TestApp, email: string) {
  await t.http.post("/api/v1/auth/register", {
    email,
    password: PASSWORD,
    firstName: "Dom",
    lastName: "Ain",
  });
  const mail = await t.system.db
    .selectFrom("mail_outbox")
    .select("text_body")
    .where("to_address", "=", email)
    .where("template", "=", "email-verification")
    .executeTakeFirstOrThrow();
  const token = decodeURIComponent(/token=([\w-]+)/.exec(mail.text_body)?.[1] ?? "");
  return t.http.post("/api/v1/auth/verify-email", { token });
}

/**
 * A lesson view written straight into learning events on a day of the first week of March 2026
 * (`2026-03-01` or `2026-03-02`, ISO week 9): old activity for retention and archive tests.
 */
export async function earlyMarchView(
  t: TestApp,
  organizationId: string,
  learnerId: string,
  day: "2026-03-01" | "2026-03-02",
): Promise<void> {
  await t.system.db
    .insertInto("learning_events")
    .values({
      organization_id: organizationId,
      learner_id: learnerId,
      event_type: "lesson.viewed",
      occurred_at: new Date(`${day}T08:00:00Z`),
      day_key: day,
      week_key: "2026-W09",
      month_key: "2026-03",
      quarter_key: "2026-Q1",
      year_key: 2026,
    })
    .execute();
}
