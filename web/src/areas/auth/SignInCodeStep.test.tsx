import { fireEvent, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { renderPage } from "../../test/render";
import { SignInCodeStep, type SignInMethod } from "./SignInCodeStep";

const browser = vi.hoisted(() => ({ startAuthentication: vi.fn() }));
vi.mock("@simplewebauthn/browser", () => ({
  browserSupportsWebAuthn: () => true,
  startRegistration: vi.fn(),
  startAuthentication: browser.startAuthentication,
}));

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

const posts: Array<{ path: string; body: unknown }> = [];
let loginAnswer: { status: number; body: unknown };

beforeEach(() => {
  posts.length = 0;
  browser.startAuthentication.mockReset();
  browser.startAuthentication.mockResolvedValue({
    id: "cred",
    rawId: "cred",
    type: "public-key",
    clientExtensionResults: {},
    response: { clientDataJSON: "cd", authenticatorData: "ad", signature: "sg" },
  });
  loginAnswer = { status: 200, body: { success: true, data: { mode: "cookie" } } };
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      posts.push({ path: url.pathname, body: await request.json().catch(() => undefined) });
      if (url.pathname === "/api/v1/auth/login/mfa/webauthn-options") {
        return json({ success: true, data: { challenge: "xyz", rpId: "localhost" } });
      }
      if (url.pathname === "/api/v1/auth/login/mfa") {
        return json(loginAnswer.body, loginAnswer.status);
      }
      throw new Error(`unexpected request ${request.method} ${url.pathname}`);
    }),
  );
});

async function show(methods: SignInMethod[]) {
  const onDone = vi.fn();
  const onRestart = vi.fn();
  await renderPage(
    <SignInCodeStep
      challengeToken="lym_challenge"
      methods={methods}
      onDone={onDone}
      onRestart={onRestart}
    />,
    { namespaces: ["security"] },
  );
  return { onDone, onRestart };
}

describe("the second sign-in step with a security key", () => {
  it("offers only the key to an account without an authenticator app, and signs in with it", async () => {
    const { onDone } = await show(["webauthn"]);
    expect(screen.queryByLabelText(/^Code/)).toBeNull();
    // No recovery codes left (or none yet): no way to one.
    expect(screen.queryByRole("button", { name: "Use a recovery code instead" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Use a security key" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(browser.startAuthentication).toHaveBeenCalledWith({
      optionsJSON: { challenge: "xyz", rpId: "localhost" },
    });
    expect(posts).toEqual([
      {
        path: "/api/v1/auth/login/mfa/webauthn-options",
        body: { challengeToken: "lym_challenge" },
      },
      {
        path: "/api/v1/auth/login/mfa",
        body: {
          challengeToken: "lym_challenge",
          webauthn: expect.objectContaining({ id: "cred" }),
        },
      },
    ]);
  });

  it("offers the key next to the code, and the way back once the step has expired", async () => {
    loginAnswer = {
      status: 401,
      body: {
        success: false,
        error: { code: "MFA_CHALLENGE_INVALID", message: "expired", requestId: "r2" },
      },
    };
    const { onDone, onRestart } = await show(["totp", "recovery-code", "webauthn"]);
    expect(screen.getByLabelText(/^Code/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Use a security key" }));
    await screen.findByRole("alert");
    fireEvent.click(await screen.findByRole("button", { name: "Sign in again" }));
    expect(onRestart).toHaveBeenCalled();
    expect(onDone).not.toHaveBeenCalled();
  });

  it("shows no key button to an account with the app alone", async () => {
    await show(["totp", "recovery-code"]);
    expect(screen.getByLabelText(/^Code/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Use a security key" })).toBeNull();
  });

  it("lets an account with keys alone sign in with a recovery code, and go back to the key", async () => {
    const { onDone } = await show(["recovery-code", "webauthn"]);
    expect(screen.getByRole("button", { name: "Use a security key" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Use a recovery code instead" }));
    expect(screen.getByText("Enter one of your recovery codes. Each one works once.")).toBeTruthy();
    // The code from an app is no choice here.
    expect(screen.queryByRole("button", { name: "Use a code from the app instead" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Use a security key" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Use a security key instead" }));
    fireEvent.click(await screen.findByRole("button", { name: "Use a recovery code instead" }));
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Enter a recovery code such as abcde-12345.")).toBeTruthy();
    expect(posts).toEqual([]);
    fireEvent.change(screen.getByLabelText(/^Recovery code/), {
      target: { value: " abcde-fghjk " },
    });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(posts).toEqual([
      {
        path: "/api/v1/auth/login/mfa",
        body: { challengeToken: "lym_challenge", recoveryCode: "abcde-fghjk" },
      },
    ]);
    expect(browser.startAuthentication).not.toHaveBeenCalled();
  });

  it("hides the recovery code from an app account that has used them all", async () => {
    await show(["totp"]);
    expect(screen.getByLabelText(/^Code/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Use a recovery code instead" })).toBeNull();
  });
});
