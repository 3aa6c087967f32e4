import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, PASSWORD, signedInUser, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { sha256 } from "../../platform/crypto.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const MINUTE = 60_000;

describe("sign-in", () => {
  it("returns tokens and the person, and records the sign-in", async () => {
    const user = await makeUser(t);
    const res = await t.http.request("POST", "/api/v1/auth/login", {
      body: { email: user.email.toUpperCase(), password: PASSWORD },
      headers: {
        "user-agent":
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
      },
    });
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data.user.id).toBe(user.id);
    expect(data.tokens.tokenType).toBe("Bearer");
    expect(new Date(data.tokens.accessTokenExpiresAt).getTime() - t.clock.now().getTime()).toBe(
      15 * MINUTE,
    );
    expect(new Date(data.tokens.refreshTokenExpiresAt).getTime() - t.clock.now().getTime()).toBe(
      7 * 24 * 60 * MINUTE,
    );
    const stored = await t.system.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(stored.login_count).toBe(1);
    expect(stored.last_login_at?.toISOString()).toBe(t.clock.now().toISOString());
    const session = await t.system.db
      .selectFrom("user_sessions")
      .selectAll()
      .where("id", "=", data.sessionId)
      .executeTakeFirstOrThrow();
    expect(session).toMatchObject({
      user_id: user.id,
      browser: "Chrome",
      os: "Linux",
      device_type: "desktop",
      revoked_at: null,
    });
    const refresh = await t.system.db
      .selectFrom("refresh_tokens")
      .selectAll()
      .where("session_id", "=", data.sessionId)
      .execute();
    expect(refresh).toHaveLength(1);
    expect(refresh[0]?.token_hash).toBe(sha256(data.tokens.refreshToken));
    const me = await t.http.get("/api/v1/users/me", { token: data.tokens.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.data.user.email).toBe(user.email);
  });

  it("answers the same for a wrong password and an unknown address", async () => {
    const user = await makeUser(t);
    const wrong = await t.http.post("/api/v1/auth/login", {
      email: user.email,
      password: "Wrong-password-1!",
    });
    const unknown = await t.http.post("/api/v1/auth/login", {
      email: "ghost@example.com",
      password: "Wrong-password-1!",
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toEqual(unknown.body.error);
    expect(wrong.body.error.code).toBe("INVALID_CREDENTIALS");
  });

  it("locks the account for 30 minutes after 5 failed passwords, then lets it in again", async () => {
    const user = await makeUser(t);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (
          await t.http.post("/api/v1/auth/login", {
            email: user.email,
            password: "Wrong-password-1!",
          })
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    const locked = await t.http.post("/api/v1/auth/login", {
      email: user.email,
      password: PASSWORD,
    });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe("ACCOUNT_LOCKED");
    expect(Number(locked.headers["retry-after"])).toBe(30 * 60);
    const row = await t.system.db
      .selectFrom("users")
      .select(["locked_until"])
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.locked_until?.getTime()).toBe(t.clock.now().getTime() + 30 * MINUTE);
    t.clock.advance(29 * MINUTE);
    expect(
      (await t.http.post("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status,
    ).toBe(423);
    t.clock.advance(MINUTE + 1000);
    const ok = await t.http.post("/api/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(ok.status).toBe(200);
    const after = await t.system.db
      .selectFrom("users")
      .select(["failed_login_attempts", "locked_until"])
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ failed_login_attempts: 0, locked_until: null });
  });

  it("resets the failure count on success", async () => {
    const user = await makeUser(t);
    for (let i = 0; i < 4; i++)
      await t.http.post("/api/v1/auth/login", { email: user.email, password: "Wrong-password-1!" });
    expect(
      (await t.http.post("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status,
    ).toBe(200);
    for (let i = 0; i < 4; i++)
      await t.http.post("/api/v1/auth/login", { email: user.email, password: "Wrong-password-1!" });
    expect(
      (await t.http.post("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status,
    ).toBe(200);
  });

  it("refuses suspended accounts, but only with the right password", async () => {
    const user = await makeUser(t);
    await t.system.db
      .updateTable("users")
      .set({ status: "suspended", suspended_reason: "policy" })
      .where("id", "=", user.id)
      .execute();
    const wrong = await t.http.post("/api/v1/auth/login", {
      email: user.email,
      password: "Wrong-password-1!",
    });
    expect(wrong.body.error.code).toBe("INVALID_CREDENTIALS");
    const right = await t.http.post("/api/v1/auth/login", {
      email: user.email,
      password: PASSWORD,
    });
    expect(right.status).toBe(403);
    expect(right.body.error.code).toBe("ACCOUNT_SUSPENDED");
    const sessions = await t.system.db
      .selectFrom("user_sessions")
      .select("id")
      .where("user_id", "=", user.id)
      .execute();
    expect(sessions).toHaveLength(0);
  });

  it("writes sign-in events to the system log", async () => {
    const user = await makeUser(t);
    await t.http.post("/api/v1/auth/login", { email: user.email, password: "Wrong-password-1!" });
    await signIn(t, user.email);
    const events = await t.system.db
      .selectFrom("system_logs")
      .select("event")
      .where("user_id", "=", user.id)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.event)).toEqual(["auth.login-failed", "auth.login"]);
  });
});

describe("tokens", () => {
  it("expires the access token after 15 minutes", async () => {
    const { token } = await signedInUser(t);
    t.clock.advance(14 * MINUTE);
    expect((await t.http.get("/api/v1/users/me", { token })).status).toBe(200);
    t.clock.advance(MINUTE + 1000);
    const expired = await t.http.get("/api/v1/users/me", { token });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe("TOKEN_EXPIRED");
  });

  it("rotates the refresh token, and treats reuse of a rotated one as theft", async () => {
    const { refreshToken, sessionId } = await signedInUser(t);
    const first = await t.http.post("/api/v1/auth/refresh", { refreshToken });
    expect(first.status).toBe(200);
    const rotated = first.body.data.tokens;
    expect(rotated.refreshToken).not.toBe(refreshToken);
    expect(first.body.data.sessionId).toBe(sessionId);
    const old = await t.system.db
      .selectFrom("refresh_tokens")
      .selectAll()
      .where("token_hash", "=", sha256(refreshToken))
      .executeTakeFirstOrThrow();
    expect(old.rotated_at).not.toBeNull();
    expect((await t.http.get("/api/v1/users/me", { token: rotated.accessToken })).status).toBe(200);

    const reuse = await t.http.post("/api/v1/auth/refresh", { refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe("REFRESH_TOKEN_REUSED");
    const session = await t.system.db
      .selectFrom("user_sessions")
      .selectAll()
      .where("id", "=", sessionId)
      .executeTakeFirstOrThrow();
    expect(session.revoked_reason).toBe("refresh-token-reuse");
    const afterRevoke = await t.http.get("/api/v1/users/me", { token: rotated.accessToken });
    expect(afterRevoke.body.error.code).toBe("SESSION_REVOKED");
    const newest = await t.http.post("/api/v1/auth/refresh", {
      refreshToken: rotated.refreshToken,
    });
    expect(newest.body.error.code).toBe("SESSION_REVOKED");
    const log = await t.system.db
      .selectFrom("system_logs")
      .select("event")
      .where("event", "=", "auth.refresh-token-reused")
      .execute();
    expect(log.length).toBeGreaterThan(0);
  });

  it("expires the refresh token after 7 days", async () => {
    const { refreshToken } = await signedInUser(t);
    t.clock.advance(7 * 24 * 60 * MINUTE + 1000);
    const res = await t.http.post("/api/v1/auth/refresh", { refreshToken });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("TOKEN_EXPIRED");
  });

  it("refuses to refresh for a suspended account and rejects unknown tokens", async () => {
    const { user, refreshToken } = await signedInUser(t);
    await t.system.db
      .updateTable("users")
      .set({ status: "suspended" })
      .where("id", "=", user.id)
      .execute();
    expect((await t.http.post("/api/v1/auth/refresh", { refreshToken })).body.error.code).toBe(
      "ACCOUNT_SUSPENDED",
    );
    expect(
      (await t.http.post("/api/v1/auth/refresh", { refreshToken: "lyr_not-a-real-token-at-all" }))
        .status,
    ).toBe(401);
  });

  it("rejects tampered and foreign tokens", async () => {
    const { token } = await signedInUser(t);
    const parts = (token as string).split(".");
    const tampered = `${parts[0]}.${Buffer.from(JSON.stringify({ sub: "someone-else", sid: "x" })).toString("base64url")}.${parts[2]}`;
    expect((await t.http.get("/api/v1/users/me", { token: tampered })).status).toBe(401);
  });
});

describe("sessions", () => {
  it("logs out the current session at once", async () => {
    const { token, sessionId } = await signedInUser(t);
    const res = await t.http.post("/api/v1/auth/logout", {}, { token });
    expect(res.status).toBe(200);
    const session = await t.system.db
      .selectFrom("user_sessions")
      .selectAll()
      .where("id", "=", sessionId)
      .executeTakeFirstOrThrow();
    expect(session.revoked_reason).toBe("user-logout");
    expect((await t.http.get("/api/v1/users/me", { token })).body.error.code).toBe(
      "SESSION_REVOKED",
    );
  });

  it("lists active sessions marking the current one, revokes another but never the current one", async () => {
    const user = await makeUser(t);
    const a = await signIn(t, user.email);
    const b = await signIn(t, user.email);
    const c = await signIn(t, user.email);
    await t.http.post("/api/v1/auth/logout", {}, c);
    const list = await t.http.get("/api/v1/auth/sessions", a);
    expect(list.status).toBe(200);
    expect(list.body.data.map((s: { id: string }) => s.id).sort()).toEqual(
      [a.sessionId, b.sessionId].sort(),
    );
    expect(list.body.data.find((s: { current: boolean }) => s.current).id).toBe(a.sessionId);

    const self = await t.http.delete(`/api/v1/auth/sessions/${a.sessionId}`, a);
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe("CANNOT_REVOKE_CURRENT_SESSION");

    const other = await t.http.delete(`/api/v1/auth/sessions/${b.sessionId}`, a);
    expect(other.status).toBe(200);
    const revoked = await t.system.db
      .selectFrom("user_sessions")
      .selectAll()
      .where("id", "=", b.sessionId)
      .executeTakeFirstOrThrow();
    expect(revoked.revoked_reason).toBe("user-revoked");
    expect((await t.http.get("/api/v1/users/me", b)).status).toBe(401);
    expect((await t.http.get("/api/v1/users/me", a)).status).toBe(200);
  });

  it("cannot revoke someone else's session", async () => {
    const mallory = await signedInUser(t);
    const victim = await signedInUser(t);
    const res = await t.http.delete(`/api/v1/auth/sessions/${victim.sessionId}`, mallory);
    expect(res.status).toBe(404);
    expect((await t.http.get("/api/v1/users/me", victim)).status).toBe(200);
  });

  it("signs out every other session", async () => {
    const user = await makeUser(t);
    const keep = await signIn(t, user.email);
    const other1 = await signIn(t, user.email);
    const other2 = await signIn(t, user.email);
    const res = await t.http.delete("/api/v1/auth/sessions", keep);
    expect(res.body.data.revoked).toBe(2);
    expect((await t.http.get("/api/v1/users/me", other1)).status).toBe(401);
    expect((await t.http.get("/api/v1/users/me", other2)).status).toBe(401);
    expect((await t.http.get("/api/v1/users/me", keep)).status).toBe(200);
  });
});
