import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { earlyMarchView, makeOrganization, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";

let t: TestApp;
let a: Awaited<ReturnType<typeof makeOrganization>>;
let b: Awaited<ReturnType<typeof makeOrganization>>;
let archive: { id: string; file: { size: number; checksum: string } };
let deletion: { id: string };

async function download(url: string, token?: string) {
  const res = await t.lyceum.app.inject({
    method: "GET",
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload, body: res.body };
}

const fileUrl = (orgId: string, archiveId: string) =>
  `/api/v1/organizations/${orgId}/retention/archives/${archiveId}/file`;

beforeAll(async () => {
  t = await createTestApp();
  a = await makeOrganization(t, {
    name: "Archiving Org",
    people: [
      { key: "kim", roles: ["learner"] },
      { key: "lee", roles: ["learner"] },
    ],
  });
  b = await makeOrganization(t, { name: "Elsewhere Org" });
  for (const [key, day] of [
    ["kim", "2026-03-01"],
    ["lee", "2026-03-02"],
  ] as const)
    await earlyMarchView(t, a.org.id, a.people[key]!.user.id, day);
  const policies = `/api/v1/organizations/${a.org.id}/retention-policies`;
  for (const policy of [
    { category: "learning-events", action: "archive", retainDays: 60 },
    { category: "sessions", action: "delete", retainDays: 30 },
  ])
    expect((await t.http.put(policies, policy, a.people.admin)).status).toBe(200);
  t.clock.advance(120 * 86_400_000);
  a.people.admin = { ...a.people.admin, ...(await signIn(t, a.people.admin.user.email)) };
  b.people.admin = { ...b.people.admin, ...(await signIn(t, b.people.admin.user.email)) };
  a.people.kim = { ...a.people.kim!, ...(await signIn(t, a.people.kim!.user.email)) };
  const run = await t.http.post(
    `/api/v1/organizations/${a.org.id}/retention/run`,
    {},
    a.people.admin,
  );
  expect(run.status).toBe(200);
  const log = await t.http.get(
    `/api/v1/organizations/${a.org.id}/retention/archives`,
    a.people.admin,
  );
  archive = log.body.data.find((l: { category: string }) => l.category === "learning-events");
  deletion = log.body.data.find((l: { category: string }) => l.category === "sessions");
  expect(archive.file).not.toBeNull();
});

afterAll(() => t?.close());

describe("archive files", () => {
  it("download as the stored gzip JSONL, audited and logged as a read of the people in it", async () => {
    const res = await download(fileUrl(a.org.id, archive.id), a.people.admin.token);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/gzip");
    expect(res.headers["content-disposition"]).toMatch(
      new RegExp(
        `^attachment; filename="lyceum-learning-events-\\d{4}-\\d{2}-\\d{2}-${archive.id}\\.jsonl\\.gz"$`,
      ),
    );
    expect(res.headers["cache-control"]).toBe("private, no-store");
    expect(res.bytes.length).toBe(archive.file.size);
    expect(createHash("sha256").update(res.bytes).digest("hex")).toBe(archive.file.checksum);
    const rows = gunzipSync(res.bytes)
      .toString()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { learner_id: string; event_type: string });
    const kim = a.people.kim!.user.id;
    const lee = a.people.lee!.user.id;
    expect(rows.filter((r) => r.event_type === "lesson.viewed").map((r) => r.learner_id)).toEqual([
      kim,
      lee,
    ]);

    const audited = await t.system.db
      .selectFrom("audit_logs")
      .select(["actor_user_id", "data_sensitivity"])
      .where("action", "=", "retention-archive.downloaded")
      .where("entity_id", "=", archive.id)
      .execute();
    expect(audited).toEqual([{ actor_user_id: a.people.admin.user.id, data_sensitivity: "pii" }]);
    const reads = await t.system.db
      .selectFrom("privacy_access_logs")
      .select(["subject_user_id", "viewer_user_id"])
      .where("what", "=", "retention-archive")
      .where("organization_id", "=", a.org.id)
      .orderBy("subject_user_id")
      .execute();
    expect(reads).toEqual(
      [kim, lee].sort().map((subject) => ({
        subject_user_id: subject,
        viewer_user_id: a.people.admin.user.id,
      })),
    );
  });

  it("is for the organization's privacy managers only, and a line without a file has none", async () => {
    const learner = await download(fileUrl(a.org.id, archive.id), a.people.kim!.token);
    expect(learner.status).toBe(403);
    // Another organization's administrator: not through theirs, not through this one
    const foreign = await download(fileUrl(b.org.id, archive.id), b.people.admin.token);
    expect(foreign.status).toBe(404);
    expect(JSON.parse(foreign.body).error.code).toBe("NOT_FOUND");
    expect((await download(fileUrl(a.org.id, archive.id), b.people.admin.token)).status).toBe(403);
    const none = await download(fileUrl(a.org.id, deletion.id), a.people.admin.token);
    expect(none.status).toBe(404);
    expect(JSON.parse(none.body).error.message).toBe("This line of the archival log has no file");
    const audited = await t.system.db
      .selectFrom("audit_logs")
      .select("id")
      .where("action", "=", "retention-archive.downloaded")
      .execute();
    expect(audited).toHaveLength(1);
  });
});
