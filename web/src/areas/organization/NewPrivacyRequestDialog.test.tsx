import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { renderPage } from "../../test/render";
import { NewPrivacyRequestDialog } from "./NewPrivacyRequestDialog";

const ADA = {
  userId: "00000000-0000-4000-8000-0000000000a1",
  fullName: "Ada Lovelace",
  email: "ada@example.test",
};

async function show(onSubmit = vi.fn()) {
  await renderPage(
    <NewPrivacyRequestDialog
      people={[ADA]}
      busy={false}
      error={null}
      onSubmit={onSubmit}
      onClose={() => {}}
    />,
    { namespaces: ["privacy"] },
  );
  return onSubmit;
}

function choose(label: RegExp, option: string) {
  fireEvent.click(screen.getByRole("combobox", { name: label }));
  fireEvent.click(screen.getByRole("option", { name: option, hidden: true }));
}

describe("filing a data subject request", () => {
  it("files an export for the chosen person", async () => {
    const onSubmit = await show();
    const file = screen.getByRole("button", { name: "File request" });
    expect(file.hasAttribute("disabled")).toBe(true);
    choose(/^Person/, "Ada Lovelace (ada@example.test)");
    fireEvent.change(screen.getByRole("textbox", { name: /^Reason/ }), {
      target: { value: "Asked by mail" },
    });
    fireEvent.click(file);
    expect(onSubmit).toHaveBeenCalledWith({
      type: "export",
      subjectUserId: ADA.userId,
      reason: "Asked by mail",
    });
  });

  it("files an erasure only once the person's name is typed", async () => {
    const onSubmit = await show();
    choose(/^Person/, "Ada Lovelace (ada@example.test)");
    fireEvent.click(screen.getByRole("radio", { name: /^Erasure/ }));
    const file = screen.getByRole("button", { name: "File request" });
    expect(file.hasAttribute("disabled")).toBe(true);
    const confirm = screen.getByRole("textbox", { name: /Type Ada Lovelace to confirm/ });
    fireEvent.change(confirm, { target: { value: "Ada" } });
    expect(screen.getByText("Type the name exactly as shown.")).toBeTruthy();
    fireEvent.click(file);
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.change(confirm, { target: { value: "ada lovelace" } });
    expect(file.hasAttribute("disabled")).toBe(false);
    fireEvent.click(file);
    expect(onSubmit).toHaveBeenCalledWith({
      type: "erasure",
      subjectUserId: ADA.userId,
      reason: null,
    });
  });
});
