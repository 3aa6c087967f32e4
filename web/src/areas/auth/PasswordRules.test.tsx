import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderPage } from "../../test/render";
import { PasswordRules, passwordAcceptable } from "./PasswordRules";

const rules = () =>
  Object.fromEntries(
    screen
      .getAllByRole("listitem")
      .map((item) => [
        item.textContent?.replace(/^[✓○] /, "").replace(/ \(.*\)$/, ""),
        item.dataset.met === "true",
      ]),
  );

describe("the live password checklist", () => {
  it("marks each rule of the server's policy as it is met", async () => {
    await renderPage(<PasswordRules id="rules" password="abc" />, { namespaces: ["auth"] });
    const before = rules();
    expect(before["a lowercase letter"]).toBe(true);
    expect(before["an uppercase letter"]).toBe(false);
    expect(before["a number"]).toBe(false);
    expect(Object.keys(before).some((k) => k?.startsWith("at least"))).toBe(true);
  });

  it("says for screen readers whether each rule is met", async () => {
    await renderPage(<PasswordRules id="rules" password="Analytical-Engine-1843" />, {
      namespaces: ["auth"],
    });
    for (const item of screen.getAllByRole("listitem")) {
      expect(item.textContent).toMatch(/\((met|not met yet)\)$/);
    }
    expect(passwordAcceptable("Analytical-Engine-1843")).toBe(true);
  });

  it("refuses a password containing the email address, as the server does", () => {
    expect(passwordAcceptable("Ada.Lovelace-1843!", "ada.lovelace@example.org")).toBe(false);
  });

  it("speaks German when the page does", async () => {
    await renderPage(<PasswordRules id="rules" password="" />, {
      language: "de",
      namespaces: ["auth"],
    });
    expect(screen.getByText("Das Passwort braucht:")).toBeTruthy();
  });
});
