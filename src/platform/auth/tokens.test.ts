import { createSecretKey } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { hmac } from "../crypto.js";
import { ACCESS_TOKEN_TTL_MS, TokenService } from "./tokens.js";

const SECRET = "a-test-secret-of-at-least-thirty-two-chars";
const tokens = new TokenService(SECRET);
const now = new Date("2026-03-02T09:00:00Z");
const claims = { userId: "u-1", sessionId: "s-1" };

/** A token signed with this service's key, with any header and claims. */
function forge(header: Record<string, unknown>, payload: Record<string, unknown>, secret = SECRET) {
  const key = createSecretKey(Buffer.from(hmac(secret, "access-token-key"), "utf8"));
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key);
}

async function codeOf(token: string, at = now): Promise<string> {
  try {
    await tokens.verifyAccessToken(token, at);
    return "accepted";
  } catch (error) {
    return (error as { code: string }).code;
  }
}

const valid = {
  sub: "u-1",
  sid: "s-1",
  iss: "lyceum",
  aud: "lyceum-api",
  iat: now.getTime() / 1000,
  exp: now.getTime() / 1000 + 900,
};

describe("access tokens", () => {
  it("verify what they sign, until they expire by the given clock", async () => {
    const { token, expiresAt } = await tokens.signAccessToken(claims, now);
    expect(expiresAt.getTime()).toBe(now.getTime() + ACCESS_TOKEN_TTL_MS);
    expect(await tokens.verifyAccessToken(token, now)).toEqual(claims);
    expect(await codeOf(token, new Date(expiresAt.getTime() - 1000))).toBe("accepted");
    expect(await codeOf(token, expiresAt)).toBe("TOKEN_EXPIRED");
  });

  it("refuse a changed signature, payload or header, and another secret's tokens", async () => {
    const { token } = await tokens.signAccessToken(claims, now);
    const [header, body, signature] = token.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "BA" : "AA"}`;
    expect(await codeOf(`${header}.${body}.${flipped}`)).toBe("UNAUTHENTICATED");
    const other = Buffer.from(JSON.stringify({ ...valid, sub: "u-2" })).toString("base64url");
    expect(await codeOf(`${header}.${other}.${signature}`)).toBe("UNAUTHENTICATED");
    expect(await codeOf(await forge({ alg: "HS256" }, valid, `${SECRET}-other`))).toBe(
      "UNAUTHENTICATED",
    );
    const none = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    expect(await codeOf(`${none}.${body}.`)).toBe("UNAUTHENTICATED");
    expect(await codeOf("not-a-token")).toBe("UNAUTHENTICATED");
  });

  it("accept only HS256 without critical parameters, for this issuer and audience", async () => {
    expect(await codeOf(await forge({ alg: "HS256" }, valid))).toBe("accepted");
    expect(await codeOf(await forge({ alg: "HS512" }, valid))).toBe("UNAUTHENTICATED");
    expect(await codeOf(await forge({ alg: "HS256", crit: ["b64"], b64: true }, valid))).toBe(
      "UNAUTHENTICATED",
    );
    expect(await codeOf(await forge({ alg: "HS256" }, { ...valid, iss: "other" }))).toBe(
      "UNAUTHENTICATED",
    );
    expect(await codeOf(await forge({ alg: "HS256" }, { ...valid, aud: "other" }))).toBe(
      "UNAUTHENTICATED",
    );
    expect(
      await codeOf(await forge({ alg: "HS256" }, { ...valid, aud: ["x", "lyceum-api"] })),
    ).toBe("accepted");
    const { exp: _exp, ...noExpiry } = valid;
    expect(await codeOf(await forge({ alg: "HS256" }, noExpiry))).toBe("UNAUTHENTICATED");
    expect(await codeOf(await forge({ alg: "HS256" }, { ...valid, nbf: valid.exp }))).toBe(
      "UNAUTHENTICATED",
    );
    const { sid: _sid, ...noSession } = valid;
    expect(await codeOf(await forge({ alg: "HS256" }, noSession))).toBe("UNAUTHENTICATED");
  });

  it("check a token's times on every use, also once its signature is known", async () => {
    const notYet = await forge({ alg: "HS256" }, { ...valid, nbf: valid.iat + 60 });
    expect(await codeOf(notYet)).toBe("UNAUTHENTICATED");
    expect(await codeOf(notYet, new Date(now.getTime() + 60_000))).toBe("accepted");
    expect(await codeOf(notYet)).toBe("UNAUTHENTICATED");
    expect(await codeOf(notYet, new Date(valid.exp * 1000))).toBe("TOKEN_EXPIRED");
    const forged = `${notYet.slice(0, -2)}${notYet.endsWith("AA") ? "BA" : "AA"}`;
    expect(await codeOf(forged, new Date(now.getTime() + 60_000))).toBe("UNAUTHENTICATED");
  });
});
