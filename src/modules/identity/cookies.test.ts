import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, PASSWORD } from "../../../test/factories.js";
import { createTestApp, type Res, type TestApp } from "../../../test/harness.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { COOKIE_SECURE: "true" } });
});
afterAll(() => t.close());

function jar(res: Res): Record<string, string> {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
}

async function cookieLogin() {
  const user = await makeUser(t);
  const res = await t.http.post("/api/v1/auth/login", {
    email: user.email,
    password: PASSWORD,
    mode: "cookie",
  });
  return { user, res, cookies: jar(res), csrf: res.body.data.csrfToken as string };
}

describe("cookie sessions", () => {
  it("sets httpOnly, Secure, SameSite session cookies and returns a CSRF token instead of tokens", async () => {
    const { res } = await cookieLogin();
    expect(res.status).toBe(200);
    expect(res.body.data.mode).toBe("cookie");
    expect(res.body.data.tokens).toBeUndefined();
    const byName = Object.fromEntries(res.cookies.map((c) => [c.name, c]));
    expect(byName.lyceum_access).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
      path: "/",
    });
    expect(byName.lyceum_refresh).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
      path: "/api/v1/auth",
    });
    expect(byName.lyceum_csrf).toMatchObject({ secure: true, sameSite: "Strict" });
    expect(byName.lyceum_csrf?.httpOnly).toBeFalsy();
    expect(byName.lyceum_csrf?.value).toBe(res.body.data.csrfToken);
  });

  it("authenticates reads with the cookie and requires the CSRF token on unsafe methods", async () => {
    const { cookies, csrf } = await cookieLogin();
    const me = await t.http.get("/api/v1/users/me", { cookies });
    expect(me.status).toBe(200);
    const missing = await t.http.patch("/api/v1/users/me", { bio: "x" }, { cookies });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe("CSRF_TOKEN_INVALID");
    const wrong = await t.http.patch(
      "/api/v1/users/me",
      { bio: "x" },
      { cookies, csrf: "forged-token" },
    );
    expect(wrong.body.error.code).toBe("CSRF_TOKEN_INVALID");
    const ok = await t.http.patch("/api/v1/users/me", { bio: "with csrf" }, { cookies, csrf });
    expect(ok.status).toBe(200);
    expect(ok.body.data.user.bio).toBe("with csrf");
  });

  it("does not accept another session's CSRF token", async () => {
    const a = await cookieLogin();
    const b = await cookieLogin();
    const res = await t.http.patch(
      "/api/v1/users/me",
      { bio: "x" },
      { cookies: a.cookies, csrf: b.csrf },
    );
    expect(res.body.error.code).toBe("CSRF_TOKEN_INVALID");
  });

  it("refreshes through the refresh cookie with the CSRF header, and logout clears the cookies", async () => {
    const { cookies, csrf } = await cookieLogin();
    const refreshCookies = { lyceum_refresh: cookies.lyceum_refresh as string };
    const noCsrf = await t.http.post("/api/v1/auth/refresh", {}, { cookies: refreshCookies });
    expect(noCsrf.body.error.code).toBe("CSRF_TOKEN_INVALID");
    const refreshed = await t.http.post(
      "/api/v1/auth/refresh",
      {},
      { cookies: refreshCookies, csrf },
    );
    expect(refreshed.status).toBe(200);
    const next = jar(refreshed);
    expect(next.lyceum_refresh).not.toBe(cookies.lyceum_refresh);
    expect(
      (
        await t.http.get("/api/v1/users/me", {
          cookies: { lyceum_access: next.lyceum_access as string },
        })
      ).status,
    ).toBe(200);
    const out = await t.http.post(
      "/api/v1/auth/logout",
      {},
      { cookies: next, csrf: refreshed.body.data.csrfToken },
    );
    expect(out.status).toBe(200);
    const cleared = Object.fromEntries(out.cookies.map((c) => [c.name, c]));
    expect(cleared.lyceum_access?.value).toBe("");
    expect((await t.http.get("/api/v1/users/me", { cookies: next })).status).toBe(401);
  });

  it("ignores a stale cookie on public endpoints so people can sign in again", async () => {
    const user = await makeUser(t);
    const res = await t.http.request("POST", "/api/v1/auth/login", {
      body: { email: user.email, password: PASSWORD },
      as: { cookies: { lyceum_access: "stale.invalid.token" } },
    });
    expect(res.status).toBe(200);
  });
});
