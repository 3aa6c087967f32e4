import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, signedInUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";

let t: TestApp;
let w: Awaited<ReturnType<typeof makeOrganization>>;
let other: Awaited<ReturnType<typeof makeOrganization>>;

beforeAll(async () => {
  t = await createTestApp();
  w = await makeOrganization(t, {
    people: [
      { key: "author", roles: ["learner", "instructor"] },
      { key: "colleague", roles: ["learner", "instructor"] },
      { key: "content", roles: ["learner", "content-admin"] },
      { key: "learner", roles: ["learner"] },
    ],
  });
  other = await makeOrganization(t);
});
afterAll(() => t.close());

const mc = {
  title: "Capital of France",
  category: "geography",
  tags: ["europe", "capitals"],
  difficulty: "easy",
  question: {
    type: "multiple-choice",
    text: "What is the capital of France?",
    options: [
      { id: "a", text: "Lyon" },
      { id: "b", text: "Paris", correct: true },
    ],
  },
};
const essay = {
  title: "Explain recursion",
  category: "cs",
  tags: ["programming"],
  difficulty: "hard",
  question: { type: "essay", text: "Explain recursion with an example.", points: 5 },
};

describe("question bank", () => {
  it("is shared in the organization and changed only by authors and organization-wide managers", async () => {
    const bank = `/api/v1/organizations/${w.org.id}/question-bank`;
    let res = await t.http.post(bank, mc, w.people.author!);
    expect(res.status).toBe(201);
    const id = res.body.data.id;
    expect(res.body.data).toMatchObject({
      type: "multiple-choice",
      tags: ["europe", "capitals"],
      usageCount: 0,
    });
    await t.http.post(bank, essay, w.people.author!);

    res = await t.http.post(
      bank,
      {
        ...mc,
        question: {
          ...mc.question,
          options: [
            { id: "a", text: "x", correct: true },
            { id: "b", text: "y", correct: true },
          ],
        },
      },
      w.people.author!,
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "VALIDATION_ERROR", field: "question.options" });
    res = await t.http.post(
      bank,
      { ...mc, question: { type: "guess", text: "?" } },
      w.people.author!,
    );
    expect(res.status).toBe(400);

    res = await t.http.get(`${bank}?type=essay`, w.people.colleague!);
    expect(res.body.data.map((q: { title: string }) => q.title)).toEqual(["Explain recursion"]);
    res = await t.http.get(`${bank}?tag=europe`, w.people.colleague!);
    expect(res.body.data.map((q: { id: string }) => q.id)).toEqual([id]);
    res = await t.http.get(`${bank}?search=capital%20of`, w.people.colleague!);
    expect(res.body.meta.pagination.total).toBe(1);
    res = await t.http.get(`${bank}?difficulty=hard&category=cs`, w.people.colleague!);
    expect(res.body.meta.pagination.total).toBe(1);

    res = await t.http.patch(
      `/api/v1/question-bank/${id}`,
      { title: "Taken over" },
      w.people.colleague!,
    );
    expect(res.status).toBe(403);
    res = await t.http.patch(
      `/api/v1/question-bank/${id}`,
      { difficulty: "medium" },
      w.people.content!,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.difficulty).toBe("medium");
    res = await t.http.patch(
      `/api/v1/question-bank/${id}`,
      {
        question: { type: "true-false", correct: true, text: "Paris is the capital" },
      },
      w.people.author!,
    );
    expect(res.body.data).toMatchObject({ type: "true-false", question: { correct: true } });
    // A field the question type does not have is refused by name, not silently dropped.
    res = await t.http.patch(
      `/api/v1/question-bank/${id}`,
      { question: { type: "true-false", correct: true, text: "Paris?", options: [] } },
      w.people.author!,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("question.options");

    for (const who of [w.people.learner!, other.people.admin]) {
      res = await t.http.get(bank, who);
      expect(res.status).toBe(403);
      res = await t.http.get(`/api/v1/question-bank/${id}`, who);
      expect([403, 404]).toContain(res.status);
    }
    res = await t.http.delete(`/api/v1/question-bank/${id}`, w.people.author!);
    expect(res.status).toBe(200);
    res = await t.http.get(`/api/v1/question-bank/${id}`, w.people.author!);
    expect(res.status).toBe(404);
    const row = await t.system.db
      .selectFrom("question_bank")
      .select("deleted_at")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
  });

  it("keeps personal banks to their owners", async () => {
    const mine = await signedInUser(t, { platformAdmin: true });
    const theirs = await signedInUser(t, { platformAdmin: true });
    let res = await t.http.post("/api/v1/question-bank", essay, mine);
    expect(res.status).toBe(201);
    expect(res.body.data.organizationId).toBeNull();
    res = await t.http.get("/api/v1/question-bank", mine);
    expect(res.body.data.map((q: { title: string }) => q.title)).toEqual(["Explain recursion"]);
    res = await t.http.get("/api/v1/question-bank", theirs);
    expect(res.body.data).toEqual([]);
  });

  it("exports to the documented JSON and imports it, refusing bad items one by one", async () => {
    const source = await makeOrganization(t, {
      people: [{ key: "author", roles: ["learner", "instructor"] }],
    });
    const target = await makeOrganization(t, {
      people: [{ key: "author", roles: ["learner", "instructor"] }],
    });
    const bank = (org: string) => `/api/v1/organizations/${org}/question-bank`;
    await t.http.post(bank(source.org.id), mc, source.people.author!);
    await t.http.post(bank(source.org.id), essay, source.people.author!);
    const exported = await t.http.get(`${bank(source.org.id)}/export`, source.people.author!);
    expect(exported.body.data).toMatchObject({ format: "lyceum-question-bank", version: 1 });
    expect(exported.body.data.questions).toHaveLength(2);

    const payload = {
      ...exported.body.data,
      questions: [
        ...exported.body.data.questions,
        { title: "Broken", question: { type: "multiple-choice", text: "?", options: [] } },
        { question: mc.question },
      ],
    };
    const res = await t.http.post(`${bank(target.org.id)}/import`, payload, target.people.author!);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ imported: 2, refused: 2 });
    expect(res.body.data.results[2].error).toMatchObject({
      code: "VALIDATION_ERROR",
      field: "question.options",
    });
    expect(res.body.data.results[3].error.field).toBe("title");
    const again = await t.http.get(`${bank(target.org.id)}/export`, target.people.author!);
    expect(again.body.data.questions.map((q: { question: unknown }) => q.question)).toEqual(
      exported.body.data.questions.map((q: { question: unknown }) => q.question),
    );
    const bad = await t.http.post(
      `${bank(target.org.id)}/import`,
      { format: "qti", version: 1, questions: [{}] },
      target.people.author!,
    );
    expect(bad.status).toBe(400);
  });
});
