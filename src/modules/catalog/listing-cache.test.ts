import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, publishedCourse, signIn } from "../../../test/factories.js";
import { createTestApp, HttpClient, type TestApp } from "../../../test/harness.js";
import { queryCount } from "../../db/connection.js";

// Anonymous catalog pages are kept in memory; any change to what they show must appear on
// the very next request.

let t: TestApp;
let instructorId: string;
beforeAll(async () => {
  t = await createTestApp();
  instructorId = (await makeUser(t, { firstName: "Iris", lastName: "Instructor" })).id;
});
afterAll(() => t.close());

const PAGE = "/api/v1/courses?limit=100&sort=title";

async function titles(app: { http: HttpClient } = t): Promise<string[]> {
  const res = await app.http.get(PAGE);
  expect(res.status).toBe(200);
  return res.body.data.map((c: { title: string }) => c.title);
}

let codes = 0;
const nextCode = () => `CACHE-${process.pid}-${++codes}`;

async function course(title: string) {
  return publishedCourse(t, { code: nextCode(), title, instructorId });
}

describe("the anonymous catalog page", () => {
  it("is answered from memory once read, with the same body", async () => {
    await course("Anatomy of a cached page");
    const first = await t.http.get(PAGE);
    const before = queryCount(t.lyceum.services.db);
    const second = await t.http.get(PAGE);
    const statements = queryCount(t.lyceum.services.db) - before;
    expect(second.body).toEqual(first.body);
    expect(second.headers["content-type"]).toBe("application/json; charset=utf-8");
    // No page or count query: on a server only the feed's catch-up statement remains.
    expect(statements).toBe(t.databaseUrl ? 1 : 0);
  });

  it("shows a course published, renamed or archived on the very next request", async () => {
    const published = await course("Before the change");
    expect(await titles()).toContain("Before the change");
    await t.system.db
      .updateTable("courses")
      .set({ title: "After the change" })
      .where("id", "=", published.id)
      .execute();
    expect(await titles()).toContain("After the change");
    const other = await course("Brand new course");
    expect(await titles()).toContain("Brand new course");
    await t.system.db
      .updateTable("courses")
      .set({ status: "archived" })
      .where("id", "=", other.id)
      .execute();
    expect(await titles()).not.toContain("Brand new course");
  });

  it("shows an instructor's new name, new lessons and enrollment counts at once", async () => {
    const c = await course("Counting lessons");
    const row = async () =>
      (await t.http.get(PAGE)).body.data.find((x: { id: string }) => x.id === c.id);
    expect((await row()).lessonCount).toBe(1);
    await t.system.db
      .updateTable("users")
      .set({ first_name: "Ines" })
      .where("id", "=", instructorId)
      .execute();
    expect((await row()).instructor.name).toBe("Ines Instructor");
    const moduleId = (
      await t.system.db
        .selectFrom("modules")
        .select("id")
        .where("course_id", "=", c.id)
        .executeTakeFirstOrThrow()
    ).id;
    await sql`insert into lessons (module_id, course_id, title, content_type, content, position, is_published)
              values (${moduleId}, ${c.id}, 'Second', 'text', '{"html": "<p>2</p>"}', 2, true)`.execute(
      t.system.db,
    );
    expect((await row()).lessonCount).toBe(2);
    await sql`update courses set enrolled_count = enrolled_count + 7 where id = ${c.id}`.execute(
      t.system.db,
    );
    expect((await row()).enrolledCount).toBe(7);
  });

  it("is never what signed-in people see: they also see their organizations' courses", async () => {
    const w = await makeOrganization(t, { people: [{ key: "member", roles: ["learner"] }] });
    await titles();
    await publishedCourse(t, {
      code: nextCode(),
      title: "Members only",
      instructorId: w.people.admin.user.id,
      organizationId: w.org.id,
    });
    const member = await signIn(t, (w.people.member as { user: { email: string } }).user.email);
    const theirs = await t.http.get(PAGE, member);
    expect(theirs.body.data.map((c: { title: string }) => c.title)).toContain("Members only");
    expect(await titles()).not.toContain("Members only");
  });
});

// A sibling is another Lyceum on the same database, with its own pages and change feed.
describe("across two processes", () => {
  let b: { http: HttpClient };
  beforeAll(async () => {
    b = { http: new HttpClient(await t.sibling()) };
  });

  it("a change committed by one shows in the other's next page", async () => {
    const c = await course("Seen by both");
    expect(await titles(b)).toContain("Seen by both");
    await t.system.db
      .updateTable("courses")
      .set({ title: "Renamed by the first" })
      .where("id", "=", c.id)
      .execute();
    expect(await titles(b)).toContain("Renamed by the first");
  });
});
