import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, PASSWORD, signedInUser, uniqueEmail } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function multipart(filename: string, contentType: string, bytes: Buffer, field = "file") {
  const boundary = "----lyceum-boundary";
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

async function upload(token: string, file: ReturnType<typeof multipart>) {
  return t.http.request("POST", "/api/v1/users/me/avatar", {
    payload: file.payload,
    headers: file.headers,
    as: { token },
  });
}

describe("my profile", () => {
  it("shows the profile, roles, permissions and counters without secrets", async () => {
    const { token } = await signedInUser(t);
    const res = await t.http.get("/api/v1/users/me", { token });
    expect(res.status).toBe(200);
    expect(res.body.data.user.fullName).toBe("Ada Lovelace");
    expect(res.body.data.platformRoles).toEqual(["learner"]);
    expect(res.body.data.platformPermissions).toContain("users:update:own");
    expect(res.body.data.memberships).toEqual([]);
    const text = JSON.stringify(res.body);
    for (const secret of ["password", "argon2", "failed_login", "locked"])
      expect(text).not.toContain(secret);
  });

  it("updates allowed fields, validates each field, and audits the change", async () => {
    const { token, user } = await signedInUser(t);
    const res = await t.http.patch(
      "/api/v1/users/me",
      { firstName: "Augusta", bio: "Analyst", timezone: "Europe/London", country: "GB" },
      { token },
    );
    expect(res.status).toBe(200);
    expect(res.body.data.user).toMatchObject({
      firstName: "Augusta",
      bio: "Analyst",
      timezone: "Europe/London",
      country: "GB",
    });
    const stored = await t.system.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(stored.first_name).toBe("Augusta");
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .selectAll()
      .where("entity_id", "=", user.id)
      .where("action", "=", "user.update")
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ first_name: "Ada", bio: null });
    expect(audit.after).toMatchObject({ first_name: "Augusta", bio: "Analyst" });
    expect(audit.actor_user_id).toBe(user.id);

    for (const [field, value] of [
      ["timezone", "Mars/Olympus"],
      ["country", "England"],
      ["phone", "call me maybe"],
      ["dateOfBirth", "31/12/1990"],
      ["preferredLanguage", "english"],
    ] as const) {
      const bad = await t.http.patch("/api/v1/users/me", { [field]: value }, { token });
      expect(bad.status, field).toBe(400);
      expect(bad.body.error.field).toBe(field);
    }
    const unknown = await t.http.patch("/api/v1/users/me", { status: "active" }, { token });
    expect(unknown.status).toBe(400);
    const after = await t.system.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(after.timezone).toBe("Europe/London");
  });

  it("keeps the old email until the new one is confirmed, then switches", async () => {
    const { token, user } = await signedInUser(t);
    const newEmail = uniqueEmail("moved");
    const res = await t.http.put("/api/v1/users/me", { email: newEmail }, { token });
    expect(res.status).toBe(200);
    expect(res.body.data.user.email).toBe(user.email);
    expect(res.body.data.user.pendingEmail).toBe(newEmail);
    const mails = await t.system.db
      .selectFrom("mail_outbox")
      .select(["to_address", "template", "text_body"])
      .where("user_id", "=", user.id)
      .execute();
    const toNew = mails.find((m) => m.to_address === newEmail);
    expect(toNew?.template).toBe("email-change-verification");
    expect(mails.find((m) => m.to_address === user.email)?.template).toBe("email-change-notice");
    expect(
      (await t.http.post("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status,
    ).toBe(200);

    const token2 = decodeURIComponent(/token=([\w-]+)/.exec(toNew?.text_body ?? "")?.[1] ?? "");
    const verified = await t.http.post("/api/v1/auth/verify-email", { token: token2 });
    expect(verified.status).toBe(200);
    expect(verified.body.data.user).toMatchObject({
      email: newEmail,
      pendingEmail: null,
      emailVerified: true,
    });
    expect(verified.body.data.emailChanged).toBe(true);
    expect(
      (await t.http.post("/api/v1/auth/login", { email: newEmail, password: PASSWORD })).status,
    ).toBe(200);
    expect(
      (await t.http.post("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status,
    ).toBe(401);
  });

  it("refuses an email that another account uses", async () => {
    const other = await makeUser(t);
    const { token, user } = await signedInUser(t);
    const res = await t.http.patch("/api/v1/users/me", { email: other.email }, { token });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("EMAIL_TAKEN");
    const stored = await t.system.db
      .selectFrom("users")
      .select("pending_email")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(stored.pending_email).toBeNull();
  });
});

describe("avatar", () => {
  it("stores a real image as 200 and 50 pixel WebP squares and serves them", async () => {
    const { token, user } = await signedInUser(t);
    const png = await sharp({
      create: { width: 640, height: 400, channels: 3, background: "#cc3300" },
    })
      .png()
      .toBuffer();
    const res = await upload(token as string, multipart("me.png", "image/png", png));
    expect(res.status).toBe(200);
    const url: string = res.body.data.user.avatarUrl;
    expect(url).toMatch(/^\/api\/v1\/files\/avatars\/[0-9a-f-]{36}$/);
    const file = await t.system.db
      .selectFrom("file_uploads")
      .selectAll()
      .where("uploaded_by", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(file).toMatchObject({
      purpose: "avatar",
      mime_type: "image/png",
      file_size: png.length,
    });
    expect(file.checksum_sha256).toMatch(/^[0-9a-f]{64}$/);
    const keys = [...t.storage.files.keys()].filter((k) => k.startsWith(`avatars/${user.id}/`));
    expect(keys.sort()).toEqual(
      [`avatars/${user.id}/${file.id}-200.webp`, `avatars/${user.id}/${file.id}-50.webp`].sort(),
    );

    const served = await t.lyceum.app.inject({ method: "GET", url: `${url}?size=50` });
    expect(served.statusCode).toBe(200);
    expect(served.headers["content-type"]).toBe("image/webp");
    const meta = await sharp(served.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 50, 50]);
  });

  it("replaces the previous avatar and deletes its files", async () => {
    const { token, user } = await signedInUser(t);
    const jpeg = await sharp({
      create: { width: 300, height: 300, channels: 3, background: "#00aa44" },
    })
      .jpeg()
      .toBuffer();
    const first = await upload(token as string, multipart("a.jpg", "image/jpeg", jpeg));
    const firstId = first.body.data.user.avatarUrl.split("/").pop();
    const second = await upload(token as string, multipart("b.jpg", "image/jpeg", jpeg));
    const secondId = second.body.data.user.avatarUrl.split("/").pop();
    expect(secondId).not.toBe(firstId);
    const keys = [...t.storage.files.keys()].filter((k) => k.startsWith(`avatars/${user.id}/`));
    expect(keys.every((k) => k.includes(secondId))).toBe(true);
    expect(
      (await t.lyceum.app.inject({ method: "GET", url: `/api/v1/files/avatars/${firstId}` }))
        .statusCode,
    ).toBe(404);
    const removed = await t.http.delete("/api/v1/users/me/avatar", { token });
    expect(removed.body.data.user.avatarUrl).toBeNull();
    expect([...t.storage.files.keys()].filter((k) => k.startsWith(`avatars/${user.id}/`))).toEqual(
      [],
    );
  });

  it("refuses files that are not images, corrupt images and files over 5 MB", async () => {
    const { token, user } = await signedInUser(t);
    const text = await upload(
      token as string,
      multipart("notes.txt", "text/plain", Buffer.from("hello")),
    );
    expect(text.status).toBe(415);
    const disguised = await upload(
      token as string,
      multipart("fake.png", "image/png", Buffer.from("definitely not a png file")),
    );
    expect(disguised.status).toBe(415);
    const header = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const corrupt = await upload(
      token as string,
      multipart("broken.png", "image/png", Buffer.concat([header, Buffer.alloc(100, 7)])),
    );
    expect(corrupt.status).toBe(422);
    expect(corrupt.body.error.code).toBe("INVALID_FILE");
    const huge = await upload(
      token as string,
      multipart(
        "big.png",
        "image/png",
        Buffer.concat([header, Buffer.alloc(5 * 1024 * 1024 + 10)]),
      ),
    );
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    const json = await t.http.post("/api/v1/users/me/avatar", { file: "x" }, { token });
    expect(json.status).toBe(415);
    const rows = await t.system.db
      .selectFrom("file_uploads")
      .select("id")
      .where("uploaded_by", "=", user.id)
      .execute();
    expect(rows).toHaveLength(0);
  });
});
