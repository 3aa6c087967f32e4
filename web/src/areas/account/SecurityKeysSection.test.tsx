import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { renderPage } from "../../test/render";
import { REGISTRATION_RESPONSE } from "../../test/webauthn";
import { SecurityKeysSection } from "./SecurityKeysSection";

const browser = vi.hoisted(() => ({
  supported: true,
  startRegistration: vi.fn(),
}));
vi.mock("@simplewebauthn/browser", () => ({
  browserSupportsWebAuthn: () => browser.supported,
  startRegistration: browser.startRegistration,
  startAuthentication: vi.fn(),
}));

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

const KEY = {
  id: "00000000-0000-4000-8000-00000000k001",
  name: "Blue key",
  transports: ["usb"],
  createdAt: "2026-03-02T09:00:00.000Z",
  lastUsedAt: null,
};

let keys: (typeof KEY)[] = [];
let listFails = false;
/** The recovery codes the next added key answers (the account's first second factor). */
let codesWithKey: string[] = [];
const posts: Array<{ path: string; body: unknown }> = [];

beforeEach(() => {
  keys = [];
  listFails = false;
  codesWithKey = [];
  posts.length = 0;
  browser.supported = true;
  browser.startRegistration.mockReset();
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      if (request.method === "GET" && url.pathname === "/api/v1/auth/webauthn/credentials") {
        if (listFails) {
          return json(
            { success: false, error: { code: "INTERNAL_ERROR", message: "boom", requestId: "r1" } },
            500,
          );
        }
        return json({ success: true, data: keys });
      }
      const body = await request.json().catch(() => undefined);
      posts.push({ path: url.pathname, body });
      if (url.pathname === "/api/v1/auth/webauthn/registration-options") {
        return json({ success: true, data: { challenge: "abc", rp: { id: "localhost" } } });
      }
      if (url.pathname === "/api/v1/auth/webauthn/credentials") {
        const added = { ...KEY, name: (body as { name: string }).name };
        keys = [added];
        return json({ success: true, data: { ...added, recoveryCodes: codesWithKey } }, 201);
      }
      if (url.pathname === `/api/v1/auth/webauthn/credentials/${KEY.id}/remove`) {
        if ((body as { password: string }).password !== "right") {
          return json(
            {
              success: false,
              error: { code: "INVALID_CREDENTIALS", message: "wrong", field: "password" },
            },
            401,
          );
        }
        keys = [];
        return json({ success: true, data: null });
      }
      throw new Error(`unexpected request ${request.method} ${url.pathname}`);
    }),
  );
});

const onRecoveryCodes = vi.fn();

const show = (language: "en" | "de" = "en") => {
  onRecoveryCodes.mockReset();
  return renderPage(<SecurityKeysSection onRecoveryCodes={onRecoveryCodes} />, {
    namespaces: ["security"],
    language,
  });
};

function registers() {
  browser.startRegistration.mockResolvedValue(REGISTRATION_RESPONSE);
}

describe("security keys on the account page", () => {
  it("says there are none, then adds one through the browser's prompt", async () => {
    registers();
    await show();
    await screen.findByRole("heading", { name: "No security keys yet" });
    fireEvent.click(screen.getByRole("button", { name: "Add a security key" }));
    expect(await screen.findByText("Give the key a name.")).toBeTruthy();
    expect(posts).toEqual([]);
    fireEvent.change(screen.getByLabelText(/^Name of the key/), {
      target: { value: " Work laptop " },
    });
    fireEvent.click(screen.getByRole("button", { name: "Add a security key" }));
    expect(await screen.findByText("Enter your password.")).toBeTruthy();
    expect(posts).toEqual([]);
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: "right" } });
    fireEvent.click(screen.getByRole("button", { name: "Add a security key" }));
    await screen.findByText("Security key “Work laptop” added.");
    expect(browser.startRegistration).toHaveBeenCalledWith({
      optionsJSON: { challenge: "abc", rp: { id: "localhost" } },
    });
    expect(posts.map((p) => p.path)).toEqual([
      "/api/v1/auth/webauthn/registration-options",
      "/api/v1/auth/webauthn/credentials",
    ]);
    expect(posts[0]?.body).toEqual({ password: "right" });
    expect(posts[1]?.body).toMatchObject({ name: "Work laptop", response: { id: "cred" } });
    await screen.findByRole("button", { name: "Remove Work laptop" });
    // The account already had recovery codes: none came with this key.
    expect(onRecoveryCodes).not.toHaveBeenCalled();
  });

  it("hands the recovery codes of a first key to the page instead of the notice", async () => {
    registers();
    codesWithKey = ["abcde-fghjk", "mnpqr-stuvw"];
    await show();
    await screen.findByRole("heading", { name: "No security keys yet" });
    fireEvent.change(screen.getByLabelText(/^Name of the key/), { target: { value: "Desk key" } });
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: "right" } });
    fireEvent.click(screen.getByRole("button", { name: "Add a security key" }));
    await waitFor(() =>
      expect(onRecoveryCodes).toHaveBeenCalledWith(["abcde-fghjk", "mnpqr-stuvw"], "Desk key"),
    );
    expect(screen.queryByText("Security key “Desk key” added.")).toBeNull();
  });

  it("explains a cancelled prompt without calling the server again", async () => {
    browser.startRegistration.mockRejectedValue(new Error("NotAllowedError"));
    await show();
    await screen.findByRole("heading", { name: "No security keys yet" });
    fireEvent.change(screen.getByLabelText(/^Name of the key/), { target: { value: "K" } });
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: "right" } });
    fireEvent.click(screen.getByRole("button", { name: "Add a security key" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("cancelled or did not finish");
    expect(posts.map((p) => p.path)).toEqual(["/api/v1/auth/webauthn/registration-options"]);
  });

  it("removes a key with the password, in German too", async () => {
    keys = [KEY];
    await show("de");
    fireEvent.click(await screen.findByRole("button", { name: "Blue key entfernen" }));
    const dialog = await screen.findByRole("dialog", { name: "„Blue key“ entfernen?" });
    fireEvent.change(within(dialog).getByLabelText(/^Passwort/), { target: { value: "wrong" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Entfernen" }));
    await within(dialog).findByRole("alert");
    fireEvent.change(within(dialog).getByLabelText(/^Passwort/), { target: { value: "right" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Entfernen" }));
    await screen.findByText("Sicherheitsschlüssel entfernt.");
    await screen.findByRole("heading", { name: "Noch keine Sicherheitsschlüssel" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("shows a failed list with a retry, and a browser without WebAuthn", async () => {
    listFails = true;
    browser.supported = false;
    await show();
    expect(await screen.findByRole("button", { name: "Try again" })).toBeTruthy();
    expect(screen.getByText("This browser cannot use security keys.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Add a security key" })).toBeNull();
  });
});
