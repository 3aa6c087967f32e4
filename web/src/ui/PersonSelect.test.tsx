import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, renderPage, signedInClient } from "../test/render";
import { PersonSelect } from "./PersonSelect";

const ORG = "00000000-0000-4000-8000-00000000b001";
const ZWART = {
  userId: "00000000-0000-4000-8000-0000000000f9",
  fullName: "Yolanda Zwart",
  email: "yolanda@example.test",
};
/** The first page of members: Yolanda, last by name, is not on it. */
const FIRST_PAGE = Array.from({ length: 25 }, (_, i) => ({
  userId: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, "0")}`,
  fullName: `Bulk Aaron${i}`,
  email: `aaron${i}@example.test`,
}));

const asked: URL[] = [];

beforeEach(() => {
  asked.length = 0;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      asked.push(url);
      const base = `/api/v1/organizations/${ORG}/members`;
      if (url.pathname === base) {
        const search = url.searchParams.get("search");
        const items = search
          ? [ZWART].filter((p) => p.fullName.toLowerCase().includes(search.toLowerCase()))
          : FIRST_PAGE;
        const pagination = {
          page: 1,
          limit: 25,
          total: search ? items.length : 101,
          totalPages: search ? 1 : 5,
          hasNext: !search,
          hasPrev: false,
        };
        return jsonResponse({ success: true, data: items, meta: { pagination } });
      }
      if (url.pathname === `${base}/${ZWART.userId}`)
        return jsonResponse({ success: true, data: ZWART });
      throw new Error(`unexpected request ${request.method} ${url.pathname}`);
    }),
  );
});

async function show(props: Partial<Parameters<typeof PersonSelect>[0]> = {}) {
  const onChange = vi.fn();
  const client = signedInClient(ORG, []);
  await renderPage(
    <PersonSelect orgId={ORG} label="Person" value={null} onChange={onChange} {...props} />,
    { client },
  );
  return onChange;
}

describe("choosing a person of the organization", () => {
  it("searches the server, so someone beyond the first page of members can be chosen", async () => {
    const onChange = await show({ anyStatus: true });
    const input = screen.getByRole("combobox", { name: "Person" });
    fireEvent.click(input);
    expect(await screen.findByRole("option", { name: /Bulk Aaron0/, hidden: true })).toBeTruthy();
    expect(screen.queryByRole("option", { name: /Zwart/, hidden: true })).toBeNull();
    await userEvent.type(input, "zwa");
    const option = await screen.findByRole("option", {
      name: "Yolanda Zwart (yolanda@example.test)",
      hidden: true,
    });
    const search = asked.find((u) => u.searchParams.get("search") === "zwa");
    expect(search?.searchParams.get("status")).toBeNull();
    fireEvent.click(option);
    expect(onChange).toHaveBeenCalledWith(ZWART.userId, ZWART);
  });

  it("offers only active members unless told otherwise", async () => {
    await show();
    await waitFor(() => expect(asked.length).toBeGreaterThan(0));
    expect(asked[0]?.searchParams.get("status")).toBe("active");
  });

  it("a filter shows the name the page knows and never opens the member's page", async () => {
    await show({ value: ZWART.userId, chosenName: "Yolanda Zwart", lookUp: false });
    const input = screen.getByRole("combobox", { name: "Person" }) as HTMLInputElement;
    await waitFor(() => expect(input.value).toBe("Yolanda Zwart"));
    expect(asked.some((u) => u.pathname.endsWith(ZWART.userId))).toBe(false);
  });

  it("a form looks the chosen member up when their name is not known", async () => {
    await show({ value: ZWART.userId });
    const input = screen.getByRole("combobox", { name: "Person" }) as HTMLInputElement;
    await waitFor(() => expect(input.value).toBe("Yolanda Zwart (yolanda@example.test)"));
    expect(asked.some((u) => u.pathname.endsWith(ZWART.userId))).toBe(true);
  });
});
