import { fireEvent, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { stubApi } from "../../test/api";
import { jsonResponse, renderPage } from "../../test/render";
import { REGISTRATION_RESPONSE } from "../../test/webauthn";
import { TwoStepPage } from "./TwoStepPage";

const browser = vi.hoisted(() => ({ startRegistration: vi.fn() }));
vi.mock("@simplewebauthn/browser", () => ({
  browserSupportsWebAuthn: () => true,
  startRegistration: browser.startRegistration,
  startAuthentication: vi.fn(),
}));

const KEY = {
  id: "00000000-0000-4000-8000-000000000001",
  name: "Desk key",
  transports: ["usb"],
  createdAt: "2026-03-02T09:00:00.000Z",
  lastUsedAt: null,
};
const CODES = ["abcde-fghjk", "mnpqr-stuvw", "xyz23-45678"];

type Method = "totp" | "recovery-code" | "webauthn";
let status: {
  enabled: boolean;
  methods: Method[];
  pending: boolean;
  enabledAt: string | null;
  recoveryCodesRemaining: number;
};
let keys: (typeof KEY)[];
const posts: Array<{ path: string; body: unknown }> = [];

const off = {
  enabled: false,
  methods: [] as Method[],
  pending: false,
  enabledAt: null,
  recoveryCodesRemaining: 0,
};
const keysOnly = (remaining: number) => ({
  enabled: true,
  methods: (remaining ? ["recovery-code", "webauthn"] : ["webauthn"]) as Method[],
  pending: false,
  enabledAt: KEY.createdAt,
  recoveryCodesRemaining: remaining,
});

beforeEach(() => {
  posts.length = 0;
  status = off;
  keys = [];
  browser.startRegistration.mockReset();
  browser.startRegistration.mockResolvedValue(REGISTRATION_RESPONSE);
  stubApi(async (url, request) => {
    if (request.method === "GET" && url.pathname === "/api/v1/auth/mfa") {
      return jsonResponse({ success: true, data: status });
    }
    if (request.method === "GET" && url.pathname === "/api/v1/auth/webauthn/credentials") {
      return jsonResponse({ success: true, data: keys });
    }
    if (request.method !== "POST") return undefined;
    const body = await request.json();
    posts.push({ path: url.pathname, body });
    if (url.pathname === "/api/v1/auth/mfa/recovery-codes") {
      status = keysOnly(CODES.length);
      return jsonResponse({ success: true, data: { recoveryCodes: CODES } });
    }
    if (url.pathname === "/api/v1/auth/webauthn/registration-options") {
      return jsonResponse({ success: true, data: { challenge: "abc" } });
    }
    if (url.pathname === "/api/v1/auth/webauthn/credentials") {
      // The account's first second factor: the key comes with recovery codes.
      const first = !status.enabled;
      keys = [KEY];
      status = keysOnly(CODES.length);
      return jsonResponse(
        { success: true, data: { ...KEY, recoveryCodes: first ? CODES : [] } },
        201,
      );
    }
    return undefined;
  });
});

const show = (language: "en" | "de" = "en") =>
  renderPage(<TwoStepPage />, { namespaces: ["security"], language, path: "/account/two-step" });

describe("the two-step sign-in page with security keys", () => {
  it("shows the recovery codes once after the first key, then the page again", async () => {
    await show();
    await screen.findByRole("heading", { name: "Two-step sign-in is off" });
    const keysSection = screen.getByRole("region", { name: "Security keys" });
    fireEvent.change(within(keysSection).getByLabelText(/^Name of the key/), {
      target: { value: "Desk key" },
    });
    fireEvent.change(within(keysSection).getByLabelText(/^Password/), {
      target: { value: "secret" },
    });
    fireEvent.click(within(keysSection).getByRole("button", { name: "Add a security key" }));
    await screen.findByRole("heading", { name: "Your recovery codes" });
    expect(screen.getByRole("status").textContent).toBe(
      "Security key “Desk key” added. Two-step sign-in is on, and it comes with recovery codes.",
    );
    expect(screen.getByTestId("recovery-codes").textContent).toBe(CODES.join("\n"));
    // Nothing else on the page while the codes are shown.
    expect(screen.queryByRole("region", { name: "Security keys" })).toBeNull();
    expect(posts.map((p) => p.path)).toEqual([
      "/api/v1/auth/webauthn/registration-options",
      "/api/v1/auth/webauthn/credentials",
    ]);

    fireEvent.click(screen.getByRole("button", { name: "I have saved them" }));
    await screen.findByRole("heading", { name: "Two-step sign-in is on" });
    expect(screen.queryByTestId("recovery-codes")).toBeNull();
    expect(screen.getByText("3 recovery codes left.")).toBeTruthy();
    await screen.findByRole("button", { name: "Remove Desk key" });
  });

  it("offers to replace the codes of an account with keys alone, and no turning off", async () => {
    status = keysOnly(7);
    keys = [KEY];
    await show();
    const on = await screen.findByRole("region", { name: "Two-step sign-in is on" });
    expect(within(on).getByText("7 recovery codes left.")).toBeTruthy();
    expect(
      within(on).getByText("Each recovery code signs you in once if you lose your security keys."),
    ).toBeTruthy();
    expect(within(on).queryByRole("button", { name: "Turn off" })).toBeNull();
    // The app is one more way in, not "two-step sign-in is off".
    expect(screen.getByRole("heading", { name: "Authenticator app" })).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Two-step sign-in is off" })).toBeNull();

    const replace = within(on).getByRole("button", { name: "Replace recovery codes" });
    expect(replace).toHaveProperty("disabled", true);
    fireEvent.change(within(on).getByLabelText(/^Password/), { target: { value: "secret" } });
    fireEvent.click(replace);
    await screen.findByRole("heading", { name: "Your recovery codes" });
    expect(screen.getByTestId("recovery-codes").textContent).toBe(CODES.join("\n"));
    expect(screen.queryByRole("status")).toBeNull();
    expect(posts).toEqual([
      { path: "/api/v1/auth/mfa/recovery-codes", body: { password: "secret" } },
    ]);
  });

  it("invites an account with keys but no codes to create them, in German too", async () => {
    status = keysOnly(0);
    keys = [KEY];
    await show("de");
    const on = await screen.findByRole("region", {
      name: "Die zweistufige Anmeldung ist eingeschaltet",
    });
    expect(
      within(on).getByText(
        "Sie haben keine Wiederherstellungscodes. Erstellen Sie welche, damit Sie sich auch anmelden können, wenn Sie Ihre Sicherheitsschlüssel verlieren.",
      ),
    ).toBeTruthy();
    fireEvent.change(within(on).getByLabelText(/^Passwort/), { target: { value: "secret" } });
    fireEvent.click(within(on).getByRole("button", { name: "Wiederherstellungscodes erstellen" }));
    await screen.findByRole("heading", { name: "Ihre Wiederherstellungscodes" });
    expect(posts.map((p) => p.path)).toEqual(["/api/v1/auth/mfa/recovery-codes"]);
  });

  it("keeps the app's controls for an account with the app and a key", async () => {
    status = {
      enabled: true,
      methods: ["totp", "recovery-code", "webauthn"],
      pending: false,
      enabledAt: KEY.createdAt,
      recoveryCodesRemaining: 10,
    };
    keys = [KEY];
    await show();
    const on = await screen.findByRole("region", { name: "Two-step sign-in is on" });
    expect(within(on).getByRole("button", { name: "New recovery codes" })).toBeTruthy();
    expect(within(on).getByRole("button", { name: "Turn off" })).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Authenticator app" })).toBeNull();
  });
});
