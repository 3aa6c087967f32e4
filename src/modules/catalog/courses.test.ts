import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, signIn } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";

let t: TestApp;
let w: Awaited<ReturnType<typeof makeOrganization>>;
let platform: Credentials;

beforeAll(async () => {
  t = await createTestApp();
  w = await makeOrganization(t, {
    name: "Course Org",
    people: [
      { key: "instructor", roles: ["learner", "instructor"] },
      { key: "coInstructor", roles: ["learner", "instructor"] },
      { key: "contentAdmin", roles: ["learner", "content-admin"] },
      { key: "learner", roles: ["learner"] },
    ],
  });
  platform = await signIn(t, (await makeUser(t, { platformAdmin: true })).email);
});
afterAll(() => t.close());

const DESCRIPTION = "A practical course that teaches the essentials step by step.";

async function newCourse(as: Credentials, body: Record<string, unknown> = {}) {
  const res = await t.http.post(
    "/api/v1/courses",
    {
      code: `C${Math.random().toString(36).slice(2, 8)}`,
      title: "Safety Basics",
      organizationId: w.org.id,
      ...body,
    },
    as,
  );
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.data;
}

async function makePublishable(courseId: string, as: Credentials) {
  await t.http.patch(
    `/api/v1/courses/${courseId}`,
    { description: DESCRIPTION, category: "safety" },
    as,
  );
  const detail = await t.http.get(`/api/v1/courses/${courseId}`, as);
  const moduleId = detail.body.data.modules[0].id;
  await t.http.post(
    `/api/v1/modules/${moduleId}/lessons`,
    { title: "Welcome", contentType: "text", content: { html: "<p>Hello</p>" }, isPreview: true },
    as,
  );
  return moduleId as string;
}

describe("creating and changing courses", () => {
  it("lets an instructor create a draft in their organization with an Introduction module, audited", async () => {
    const course = await newCourse(w.people.instructor!, {
      code: "safe-101",
      title: "Workplace Safety: Basics!",
    });
    expect(course).toMatchObject({
      code: "SAFE-101",
      slug: "workplace-safety-basics",
      status: "draft",
      instructorId: w.people.instructor!.user.id,
      organizationId: w.org.id,
    });
    const detail = await t.http.get(`/api/v1/courses/${course.id}`, w.people.instructor);
    expect(detail.body.data.modules.map((m: { title: string }) => m.title)).toEqual([
      "Introduction",
    ]);
    expect(detail.body.data.abilities).toEqual({ edit: true, publish: true });
    expect(detail.body.data.instructor).toEqual({
      id: w.people.instructor!.user.id,
      name: `${w.people.instructor!.user.first_name} ${w.people.instructor!.user.last_name}`,
      avatarUrl: null,
    });
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", course.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["course.create"]);
    const second = await newCourse(w.people.instructor!, { title: "Workplace Safety: Basics!" });
    expect(second.slug).toBe("workplace-safety-basics-2");
    const dup = await t.http.post(
      "/api/v1/courses",
      { code: "SAFE-101", title: "Again", organizationId: w.org.id },
      w.people.instructor,
    );
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("CODE_TAKEN");
  });

  it("keeps the platform catalog to platform rights, and refuses learners", async () => {
    const platformCourse = await t.http.post(
      "/api/v1/courses",
      { code: "PLAT-1", title: "Open Course", instructorId: w.people.instructor!.user.id },
      platform,
    );
    expect(platformCourse.status).toBe(201);
    expect(platformCourse.body.data.organizationId).toBeNull();
    const byInstructor = await t.http.post(
      "/api/v1/courses",
      { code: "PLAT-2", title: "Mine" },
      w.people.instructor,
    );
    expect(byInstructor.status).toBe(403);
    const byLearner = await t.http.post(
      "/api/v1/courses",
      { code: "LRN-1", title: "Mine", organizationId: w.org.id },
      w.people.learner,
    );
    expect(byLearner.status).toBe(403);
    const forOther = await t.http.post(
      "/api/v1/courses",
      {
        code: "OTH-1",
        title: "X",
        organizationId: w.org.id,
        instructorId: w.people.learner!.user.id,
      },
      w.people.instructor,
    );
    expect(forOther.status).toBe(403);
    const byContentAdmin = await t.http.post(
      "/api/v1/courses",
      {
        code: "CA-1",
        title: "X",
        organizationId: w.org.id,
        instructorId: w.people.instructor!.user.id,
      },
      w.people.contentAdmin,
    );
    expect(byContentAdmin.status).toBe(201);
  });

  it("validates prices, locks identity fields once published, and checks slugs", async () => {
    const course = await newCourse(w.people.instructor!);
    const noPrice = await t.http.patch(
      `/api/v1/courses/${course.id}`,
      { enrollmentType: "paid" },
      w.people.instructor,
    );
    expect(noPrice.body.error.field).toBe("priceAmount");
    const paid = await t.http.patch(
      `/api/v1/courses/${course.id}`,
      { enrollmentType: "paid", priceAmount: 4999, currency: "EUR" },
      w.people.instructor,
    );
    expect(paid.body.data.price).toEqual({ amount: 4999, currency: "EUR" });
    await makePublishable(course.id, w.people.instructor!);
    expect(
      (await t.http.post(`/api/v1/courses/${course.id}/publish`, {}, w.people.instructor)).status,
    ).toBe(200);
    const locked = await t.http.patch(
      `/api/v1/courses/${course.id}`,
      { currency: "USD" },
      w.people.instructor,
    );
    expect(locked.status).toBe(422);
    expect(locked.body.error).toMatchObject({ code: "FIELD_LOCKED", field: "currency" });
    const retitled = await t.http.patch(
      `/api/v1/courses/${course.id}`,
      { title: "Safety Basics, second edition" },
      w.people.instructor,
    );
    expect(retitled.body.data.title).toBe("Safety Basics, second edition");
    const other = await newCourse(w.people.instructor!);
    const slugTaken = await t.http.patch(
      `/api/v1/courses/${other.id}`,
      { slug: course.slug },
      w.people.instructor,
    );
    expect(slugTaken.body.error.code).toBe("SLUG_TAKEN");
  });
});

describe("publishing", () => {
  it("lists every failed check, then publishes once they pass", async () => {
    const course = await newCourse(w.people.instructor!);
    const check = await t.http.get(
      `/api/v1/courses/${course.id}/publication-check`,
      w.people.instructor,
    );
    expect(check.body.data.publishable).toBe(false);
    const refused = await t.http.post(
      `/api/v1/courses/${course.id}/publish`,
      {},
      w.people.instructor,
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("COURSE_NOT_PUBLISHABLE");
    expect(refused.body.error.details.problems).toEqual(
      expect.arrayContaining([
        "a description of at least 20 characters",
        "a category",
        'a published lesson or quiz in module "Introduction"',
      ]),
    );
    await makePublishable(course.id, w.people.instructor!);
    const published = await t.http.post(
      `/api/v1/courses/${course.id}/publish`,
      {},
      w.people.instructor,
    );
    expect(published.body.data.status).toBe("published");
    expect(published.body.data.publishedAt).toBe(t.clock.now().toISOString());
    const archived = await t.http.post(
      `/api/v1/courses/${course.id}/archive`,
      {},
      w.people.instructor,
    );
    expect(archived.body.data.status).toBe("archived");
    const draft = await t.http.post(
      `/api/v1/courses/${course.id}/unpublish`,
      {},
      w.people.instructor,
    );
    expect(draft.body.data.status).toBe("draft");
    const actions = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", course.id)
      .where("action", "like", "course.%")
      .execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(["course.publish", "course.archive", "course.unpublish"]),
    );
  });
});

describe("the publication checklist", () => {
  it("names each failed check with a stable code and where it is fixed", async () => {
    const { addMember } = await import("../organizations/service.js");
    const unverified = await makeUser(t, { verified: false, firstName: "Una" });
    await addMember(t.system, w.org.id, { userId: unverified.id, roleKeys: ["instructor"] });
    const course = await newCourse(w.people.contentAdmin!, {
      description: "Too short",
      instructorId: unverified.id,
    });
    const detail = await t.http.get(`/api/v1/courses/${course.id}`, w.people.contentAdmin);
    const introId = detail.body.data.modules[0].id;
    const check = await t.http.get(
      `/api/v1/courses/${course.id}/publication-check`,
      w.people.contentAdmin,
    );
    expect(check.status).toBe(200);
    expect(check.body.data.publishable).toBe(false);
    expect(check.body.data.items).toEqual([
      { code: "DESCRIPTION_TOO_SHORT", field: "description", message: expect.any(String) },
      { code: "CATEGORY_MISSING", field: "category", message: expect.any(String) },
      {
        code: "MODULE_EMPTY",
        moduleId: introId,
        message: expect.stringContaining('"Introduction"'),
      },
      { code: "INSTRUCTOR_NOT_READY", field: "instructorId", message: expect.any(String) },
    ]);
    // The phrases of before stay, one per item.
    expect(check.body.data.problems).toEqual([
      "a description of at least 20 characters",
      "a category",
      'a published lesson or quiz in module "Introduction"',
      "an active instructor with a verified email",
    ]);
    const refused = await t.http.post(
      `/api/v1/courses/${course.id}/publish`,
      {},
      w.people.contentAdmin,
    );
    expect(refused.body.error.code).toBe("COURSE_NOT_PUBLISHABLE");
    expect(refused.body.error.details).toEqual({
      problems: check.body.data.problems,
      items: check.body.data.items,
    });

    // Without a published module, that is the one thing said about modules.
    await t.http.patch(`/api/v1/modules/${introId}`, { isPublished: false }, w.people.contentAdmin);
    const noModule = await t.http.get(
      `/api/v1/courses/${course.id}/publication-check`,
      w.people.contentAdmin,
    );
    expect(noModule.body.data.items.map((i: { code: string }) => i.code)).toEqual([
      "DESCRIPTION_TOO_SHORT",
      "CATEGORY_MISSING",
      "NO_PUBLISHED_MODULE",
      "INSTRUCTOR_NOT_READY",
    ]);
    expect(noModule.body.data.items[2]).toEqual({
      code: "NO_PUBLISHED_MODULE",
      message: expect.any(String),
    });

    const ready = await newCourse(w.people.instructor!);
    await makePublishable(ready.id, w.people.instructor!);
    const passing = await t.http.get(
      `/api/v1/courses/${ready.id}/publication-check`,
      w.people.instructor,
    );
    expect(passing.body.data).toEqual({ publishable: true, problems: [], items: [] });
  });
});

describe("previewing a course as its learners see it", () => {
  it("leaves out unpublished modules and lessons with view=learner, abilities unchanged", async () => {
    const course = await newCourse(w.people.instructor!);
    const as = w.people.instructor;
    const moduleId = await makePublishable(course.id, w.people.instructor!);
    await t.http.post(
      `/api/v1/modules/${moduleId}/lessons`,
      {
        title: "Draft lesson",
        contentType: "text",
        content: { html: "<p>Not yet</p>" },
        isPublished: false,
      },
      as,
    );
    await t.http.post(
      `/api/v1/courses/${course.id}/modules`,
      { title: "Draft module", isPublished: false },
      as,
    );
    const outline = (res: { body: { data: { modules: Array<Record<string, unknown>> } } }) =>
      res.body.data.modules.map((m) => [
        m.title,
        (m.lessons as Array<{ title: string }>).map((l) => l.title),
      ]);
    const normal = await t.http.get(`/api/v1/courses/${course.id}`, as);
    expect(outline(normal)).toEqual([
      ["Introduction", ["Welcome", "Draft lesson"]],
      ["Draft module", []],
    ]);
    const preview = await t.http.get(`/api/v1/courses/${course.id}?view=learner`, as);
    expect(preview.status).toBe(200);
    expect(outline(preview)).toEqual([["Introduction", ["Welcome"]]]);
    expect(preview.body.data.abilities).toEqual({ edit: true, publish: true });
    expect((await t.http.get(`/api/v1/courses/${course.id}?view=author`, as)).status).toBe(400);
  });
});

describe("the courses one may edit", () => {
  it("lists exactly the courses whose abilities say edit: instructors', editing staff's, content administrators'", async () => {
    const o = await makeOrganization(t, {
      name: "Editing Org",
      people: [
        { key: "instructor", roles: ["learner", "instructor"] },
        { key: "other", roles: ["learner", "instructor"] },
        { key: "co", roles: ["learner", "instructor"] },
        { key: "contentAdmin", roles: ["learner", "content-admin"] },
        { key: "learner", roles: ["learner"] },
      ],
    });
    const create = async (as: Credentials, code: string) => {
      const res = await t.http.post(
        "/api/v1/courses",
        { code, title: code, organizationId: o.org.id },
        as,
      );
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      return res.body.data.id as string;
    };
    const own = await create(o.people.instructor!, "ED-OWN");
    const shared = await create(o.people.instructor!, "ED-SHARED");
    const readOnly = await create(o.people.instructor!, "ED-READONLY");
    const others = await create(o.people.other!, "ED-OTHER");
    const gone = await create(o.people.instructor!, "ED-GONE");
    await t.http.delete(`/api/v1/courses/${gone}`, o.people.instructor);
    await t.http.put(
      `/api/v1/courses/${shared}/staff/${o.people.co!.user.id}`,
      { role: "co-instructor", canEditContent: true },
      o.people.instructor,
    );
    await t.http.put(
      `/api/v1/courses/${readOnly}/staff/${o.people.co!.user.id}`,
      { role: "co-instructor", canEditContent: false },
      o.people.instructor,
    );
    await makePublishable(others, o.people.other!);
    await t.http.post(`/api/v1/courses/${others}/publish`, {}, o.people.other);

    const editable = async (as: Credentials) => {
      const res = await t.http.get("/api/v1/courses?editable=true&limit=100", as);
      expect(res.status).toBe(200);
      return (res.body.data as Array<{ id: string }>).map((c) => c.id).sort();
    };
    const sorted = (ids: string[]) => [...ids].sort();
    expect(await editable(o.people.instructor!)).toEqual(sorted([own, shared, readOnly]));
    expect(await editable(o.people.co!)).toEqual([shared]);
    expect(await editable(o.people.contentAdmin!)).toEqual(sorted([own, shared, readOnly, others]));
    expect(await editable(o.people.learner!)).toEqual([]);
    expect((await t.http.get("/api/v1/courses?editable=true")).body.data).toEqual([]);
    // The same answer as each course's own abilities.
    for (const as of [o.people.instructor!, o.people.co!, o.people.contentAdmin!]) {
      const mine = await editable(as);
      for (const id of [own, shared, readOnly, others]) {
        const detail = await t.http.get(`/api/v1/courses/${id}`, as);
        // A draft one may not see at all is one one may not edit either.
        const edit = detail.status === 404 ? false : detail.body.data.abilities.edit;
        expect(edit, id).toBe(mine.includes(id));
      }
    }
    // Filters still apply.
    const published = await t.http.get(
      "/api/v1/courses?editable=true&status=published&limit=100",
      o.people.contentAdmin,
    );
    expect(published.body.data.map((c: { id: string }) => c.id)).toEqual([others]);
    // Without the flag, the catalog is as before: members see the published course too.
    const catalog = await t.http.get(
      `/api/v1/courses?organizationId=${o.org.id}&limit=100`,
      o.people.co,
    );
    expect(catalog.body.data.map((c: { id: string }) => c.id)).toContain(others);
  });
});

describe("the catalog", () => {
  let published: { id: string };
  let draft: { id: string };
  let platformCourse: { id: string };

  beforeAll(async () => {
    published = await newCourse(w.people.instructor!, {
      title: "Forklift Operation",
      level: "advanced",
      tags: ["Machinery", "safety"],
      priceAmount: 0,
    });
    await makePublishable(published.id, w.people.instructor!);
    await t.http.post(`/api/v1/courses/${published.id}/publish`, {}, w.people.instructor);
    draft = await newCourse(w.people.instructor!, { title: "Unfinished Draft" });
    const created = await t.http.post(
      "/api/v1/courses",
      {
        code: "OPEN-PUB",
        title: "Public Python",
        instructorId: w.people.instructor!.user.id,
        priceAmount: 1900,
        enrollmentType: "paid",
        category: "programming",
        level: "beginner",
      },
      platform,
    );
    platformCourse = created.body.data;
    await makePublishable(platformCourse.id, platform);
    await t.http.post(`/api/v1/courses/${platformCourse.id}/publish`, {}, platform);
  });

  const titles = (res: { body: { data: Array<{ title: string }> } }) =>
    res.body.data.map((c) => c.title);

  it("shows anonymous visitors only published platform courses", async () => {
    const res = await t.http.get("/api/v1/courses?limit=100");
    expect(titles(res)).toContain("Public Python");
    expect(titles(res)).not.toContain("Forklift Operation");
    expect(titles(res)).not.toContain("Unfinished Draft");
    expect((await t.http.get(`/api/v1/courses/${published.id}`)).status).toBe(404);
    expect((await t.http.get(`/api/v1/courses/${platformCourse.id}`)).status).toBe(200);
  });

  it("shows members their organization's published courses, and drafts only to their authors and content administrators", async () => {
    const learner = titles(await t.http.get("/api/v1/courses?limit=100", w.people.learner));
    expect(learner).toEqual(expect.arrayContaining(["Public Python", "Forklift Operation"]));
    expect(learner).not.toContain("Unfinished Draft");
    expect((await t.http.get(`/api/v1/courses/${draft.id}`, w.people.learner)).status).toBe(404);
    expect(titles(await t.http.get("/api/v1/courses?limit=100", w.people.instructor))).toContain(
      "Unfinished Draft",
    );
    expect(
      titles(await t.http.get("/api/v1/courses?limit=100&status=draft", w.people.contentAdmin)),
    ).toContain("Unfinished Draft");
  });

  it("filters, searches, sorts and pages, with instructor and counts", async () => {
    const as = w.people.learner;
    expect(titles(await t.http.get("/api/v1/courses?level=advanced", as))).toEqual([
      "Forklift Operation",
    ]);
    expect(titles(await t.http.get("/api/v1/courses?tag=machinery", as))).toEqual([
      "Forklift Operation",
    ]);
    expect(titles(await t.http.get("/api/v1/courses?search=forklift", as))).toEqual([
      "Forklift Operation",
    ]);
    const paid = titles(await t.http.get("/api/v1/courses?free=false", as));
    expect(paid).toContain("Public Python");
    expect(paid).not.toContain("Forklift Operation");
    expect(titles(await t.http.get("/api/v1/courses?priceMin=1000&priceMax=2000", as))).toEqual([
      "Public Python",
    ]);
    const item = (await t.http.get("/api/v1/courses?search=forklift", as)).body.data[0];
    expect(item).toMatchObject({
      moduleCount: 1,
      lessonCount: 1,
      instructor: { id: w.people.instructor!.user.id, name: "instructor Person" },
    });
    const page = await t.http.get("/api/v1/courses?limit=1&sort=title", as);
    expect(page.body.meta.pagination.hasNext).toBe(true);
    expect((await t.http.get("/api/v1/courses?sort=cheapest", as)).status).toBe(400);
  });

  it("lists the categories of the courses each person sees, with their counts", async () => {
    await t.http.patch(
      `/api/v1/courses/${draft.id}`,
      { category: "secret-plans" },
      w.people.instructor,
    );
    const categories = async (as?: Credentials) => {
      const res = await t.http.get("/api/v1/courses/categories", as);
      expect(res.status).toBe(200);
      return res.body.data as Array<{ category: string; count: number }>;
    };
    // Each count is what the list shows that person under that category.
    const listed = async (category: string, as?: Credentials) =>
      (await t.http.get(`/api/v1/courses?category=${category}&limit=1`, as)).body.meta.pagination
        .total as number;
    for (const as of [undefined, w.people.learner, w.people.instructor]) {
      for (const { category, count } of await categories(as)) {
        expect(count, category).toBe(await listed(category, as));
      }
    }
    const anonymous = await categories();
    const learner = await categories(w.people.learner);
    // A member also counts the organization's published courses.
    expect(learner.find((c) => c.category === "safety")!.count).toBeGreaterThan(
      anonymous.find((c) => c.category === "safety")!.count,
    );
    // A draft's category shows to its author, never to learners.
    expect(learner.map((c) => c.category)).not.toContain("secret-plans");
    expect(await categories(w.people.instructor)).toContainEqual({
      category: "secret-plans",
      count: 1,
    });
    // In alphabetical order.
    const names = learner.map((c) => c.category);
    expect(names).toEqual([...names].sort());
    // The list filters by it.
    expect(
      titles(await t.http.get("/api/v1/courses?category=safety&limit=100", w.people.learner)),
    ).toEqual(expect.arrayContaining(["Public Python", "Forklift Operation"]));
  });
});

describe("modules and lessons", () => {
  it("appends, reorders and closes gaps", async () => {
    const course = await newCourse(w.people.instructor!);
    const as = w.people.instructor;
    const m2 = await t.http.post(
      `/api/v1/courses/${course.id}/modules`,
      { title: "Day 1 – Spark", sessionType: "S", dayNumber: 1, orderInDay: 1 },
      as,
    );
    const m3 = await t.http.post(
      `/api/v1/courses/${course.id}/modules`,
      { title: "Workshop", sessionType: "W", dayNumber: 1, orderInDay: 2 },
      as,
    );
    expect([m2.body.data.position, m3.body.data.position]).toEqual([2, 3]);
    expect(m2.body.data.sessionType).toBe("S");
    const dupTitle = await t.http.post(
      `/api/v1/courses/${course.id}/modules`,
      { title: "workshop" },
      as,
    );
    expect(dupTitle.body.error.code).toBe("ALREADY_EXISTS");
    const noDate = await t.http.post(
      `/api/v1/courses/${course.id}/modules`,
      { title: "Later", unlockType: "scheduled" },
      as,
    );
    expect(noDate.body.error.field).toBe("unlockAt");
    const outline = await t.http.get(`/api/v1/courses/${course.id}`, as);
    const intro = outline.body.data.modules[0].id;
    const bad = await t.http.put(
      `/api/v1/courses/${course.id}/modules/order`,
      { moduleIds: [m3.body.data.id, intro] },
      as,
    );
    expect(bad.status).toBe(400);
    const ok = await t.http.put(
      `/api/v1/courses/${course.id}/modules/order`,
      { moduleIds: [m3.body.data.id, intro, m2.body.data.id] },
      as,
    );
    expect(ok.status).toBe(200);
    // Modules waiting for the one deleted stop waiting for it.
    for (const [id, prerequisiteModuleIds] of [
      [m2.body.data.id, [intro]],
      [m3.body.data.id, [intro, m2.body.data.id]],
    ] as const) {
      const rule = await t.http.patch(
        `/api/v1/modules/${id}`,
        { unlockType: "prerequisites", prerequisiteModuleIds },
        as,
      );
      expect(rule.status).toBe(200);
    }
    await t.http.delete(`/api/v1/modules/${intro}`, as);
    const after = await t.http.get(`/api/v1/courses/${course.id}`, as);
    expect(
      after.body.data.modules.map(
        (m: {
          title: string;
          position: number;
          unlockType: string;
          prerequisiteModuleIds: string[];
        }) => [m.title, m.position, m.unlockType, m.prerequisiteModuleIds],
      ),
    ).toEqual([
      ["Workshop", 1, "prerequisites", [m2.body.data.id]],
      ["Day 1 – Spark", 2, "immediate", []],
    ]);
  });

  it("sanitizes text, times lessons, validates content per type and keeps the course duration", async () => {
    const course = await newCourse(w.people.instructor!);
    const as = w.people.instructor;
    const moduleId = (await t.http.get(`/api/v1/courses/${course.id}`, as)).body.data.modules[0].id;
    const words = Array.from({ length: 450 }, () => "word").join(" ");
    const text = await t.http.post(
      `/api/v1/modules/${moduleId}/lessons`,
      {
        title: "Reading",
        contentType: "text",
        content: {
          html: `<p onclick="steal()">${words}</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>`,
        },
      },
      as,
    );
    expect(text.status).toBe(201);
    expect(text.body.data.content.html).not.toMatch(/script|onclick|javascript/);
    expect(text.body.data.durationMinutes).toBe(3);
    const video = await t.http.post(
      `/api/v1/modules/${moduleId}/lessons`,
      {
        title: "Video",
        contentType: "video",
        content: { url: "https://cdn.example.com/v.mp4", durationSeconds: 610 },
      },
      as,
    );
    expect(video.body.data.durationMinutes).toBe(11);
    const badVideo = await t.http.post(
      `/api/v1/modules/${moduleId}/lessons`,
      { title: "Bad", contentType: "video", content: { url: "ftp://x" } },
      as,
    );
    expect(badVideo.status).toBe(400);
    expect(badVideo.body.error.field).toBe("content.url");
    const embed = await t.http.post(
      `/api/v1/modules/${moduleId}/lessons`,
      {
        title: "Embed",
        contentType: "interactive",
        content: { embedUrl: "http://insecure.example.com" },
      },
      as,
    );
    expect(embed.body.error.field).toBe("content.embedUrl");
    const stored = await t.system.db
      .selectFrom("courses")
      .select("duration_minutes")
      .where("id", "=", course.id)
      .executeTakeFirstOrThrow();
    expect(stored.duration_minutes).toBe(14);
    await t.http.patch(`/api/v1/lessons/${video.body.data.id}`, { isPublished: false }, as);
    const afterHide = await t.system.db
      .selectFrom("courses")
      .select("duration_minutes")
      .where("id", "=", course.id)
      .executeTakeFirstOrThrow();
    expect(afterHide.duration_minutes).toBe(3);
    const reorder = await t.http.put(
      `/api/v1/modules/${moduleId}/lessons/order`,
      { lessonIds: [video.body.data.id, text.body.data.id] },
      as,
    );
    expect(reorder.status).toBe(200);
    await t.http.delete(`/api/v1/lessons/${video.body.data.id}`, as);
    const remaining = await t.system.db
      .selectFrom("lessons")
      .select(["id", "position"])
      .where("module_id", "=", moduleId)
      .execute();
    expect(remaining).toEqual([{ id: text.body.data.id, position: 1 }]);
  });

  it("opens preview lessons to everyone who sees the course, the rest only to its people", async () => {
    const course = await newCourse(w.people.instructor!);
    const as = w.people.instructor;
    const moduleId = await makePublishable(course.id, w.people.instructor!);
    const closed = await t.http.post(
      `/api/v1/modules/${moduleId}/lessons`,
      {
        title: "Members only",
        contentType: "external-link",
        content: { url: "https://example.com" },
      },
      as,
    );
    await t.http.post(`/api/v1/courses/${course.id}/publish`, {}, as);
    const detail = await t.http.get(`/api/v1/courses/${course.id}`, w.people.learner);
    const preview = detail.body.data.modules[0].lessons.find(
      (l: { isPreview: boolean }) => l.isPreview,
    );
    expect((await t.http.get(`/api/v1/lessons/${preview.id}`, w.people.learner)).status).toBe(200);
    const locked = await t.http.get(`/api/v1/lessons/${closed.body.data.id}`, w.people.learner);
    expect(locked.status).toBe(403);
    expect(locked.body.error.code).toBe("NOT_ENROLLED");
    expect((await t.http.get(`/api/v1/lessons/${closed.body.data.id}`, as)).status).toBe(200);
  });
});

describe("course staff", () => {
  it("lets co-instructors edit content, teaching assistants only see, and nobody else touch it", async () => {
    const course = await newCourse(w.people.instructor!);
    const as = w.people.instructor;
    const co = await t.http.put(
      `/api/v1/courses/${course.id}/staff/${w.people.coInstructor!.user.id}`,
      { role: "co-instructor" },
      as,
    );
    expect(co.body.data[0]).toMatchObject({ role: "co-instructor", canEditContent: true });
    const edit = await t.http.patch(
      `/api/v1/courses/${course.id}`,
      { subtitle: "Co-written" },
      w.people.coInstructor,
    );
    expect(edit.status).toBe(200);
    const publish = await t.http.post(
      `/api/v1/courses/${course.id}/publish`,
      {},
      w.people.coInstructor,
    );
    expect(publish.status).toBe(403);
    await t.http.put(
      `/api/v1/courses/${course.id}/staff/${w.people.coInstructor!.user.id}`,
      { role: "teaching-assistant" },
      as,
    );
    expect(
      (
        await t.http.patch(
          `/api/v1/courses/${course.id}`,
          { subtitle: "Nope" },
          w.people.coInstructor,
        )
      ).status,
    ).toBe(403);
    expect((await t.http.get(`/api/v1/courses/${course.id}`, w.people.coInstructor)).status).toBe(
      200,
    );
    // learners hold no courses:manage anywhere, so the route itself refuses them
    expect(
      (await t.http.patch(`/api/v1/courses/${course.id}`, { subtitle: "Nope" }, w.people.learner))
        .status,
    ).toBe(403);
    const outsider = await makeUser(t);
    const notMember = await t.http.put(
      `/api/v1/courses/${course.id}/staff/${outsider.id}`,
      { role: "teaching-assistant" },
      as,
    );
    expect(notMember.status).toBe(404);
    expect(
      (
        await t.http.delete(
          `/api/v1/courses/${course.id}/staff/${w.people.coInstructor!.user.id}`,
          as,
        )
      ).status,
    ).toBe(200);
    expect((await t.http.get(`/api/v1/courses/${course.id}/staff`, as)).body.data).toEqual([]);
  });

  it("soft-deletes courses, freeing their code", async () => {
    const course = await newCourse(w.people.instructor!, { code: "GONE-1" });
    expect((await t.http.delete(`/api/v1/courses/${course.id}`, w.people.instructor)).status).toBe(
      200,
    );
    expect((await t.http.get(`/api/v1/courses/${course.id}`, w.people.instructor)).status).toBe(
      404,
    );
    expect((await t.http.get(`/api/v1/courses/${course.id}`, platform)).status).toBe(200);
    const again = await newCourse(w.people.instructor!, { code: "GONE-1" });
    expect(again.code).toBe("GONE-1");
  });
});
