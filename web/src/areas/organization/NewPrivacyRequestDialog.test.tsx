import { fireEvent, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { listResponse, stubApi } from "../../test/api";
import { renderPage, signedInClient } from "../../test/render";
import { NewPrivacyRequestDialog } from "./NewPrivacyRequestDialog";

const ORG = "00000000-0000-4000-8000-00000000b001";

const ADA = {
  userId: "00000000-0000-4000-8000-0000000000a1",
  fullName: "Ada Lovelace",
  email: "ada@example.test",
};

const searches: string[] = [];

beforeEach(() => {
  searches.length = 0;
  stubApi((url) => {
    if (url.pathname !== `/api/v1/organizations/${ORG}/members`) return undefined;
    const search = url.searchParams.get("search") ?? "";
    searches.push(search);
    // Ada is found by searching the server, not from a first page of members
    return listResponse(search && "ada lovelace".includes(search.toLowerCase()) ? [ADA] : []);
  });
});

async function show(onSubmit = vi.fn()) {
  const client = signedInClient(ORG, []);
  await renderPage(
    <NewPrivacyRequestDialog
      orgId={ORG}
      busy={false}
      error={null}
      onSubmit={onSubmit}
      onClose={() => {}}
    />,
    { namespaces: ["privacy"], client },
  );
  return onSubmit;
}

/** Searches the organization's members for Ada and chooses her. */
async function chooseAda() {
  await userEvent.type(screen.getByRole("combobox", { name: /^Person/ }), "lovel");
  const option = await screen.findByRole("option", {
    name: "Ada Lovelace (ada@example.test)",
    hidden: true,
  });
  expect(searches).toContain("lovel");
  fireEvent.click(option);
}

describe("filing a data subject request", () => {
  it("files an export for the chosen person", async () => {
    const onSubmit = await show();
    const file = screen.getByRole("button", { name: "File request" });
    expect(file.hasAttribute("disabled")).toBe(true);
    await chooseAda();
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
    await chooseAda();
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
