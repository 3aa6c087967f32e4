import { act, fireEvent, screen } from "@testing-library/react";
import { useLocation, useNavigate } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderPage } from "../test/render";
import { SearchFilter } from "./SearchFilter";

/** Shows the router's query string, and offers a link elsewhere as back and forward would. */
function Location() {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <output aria-label="query">{location.search}</output>
      <button type="button" onClick={() => navigate("/list?to=ops%40example.test")}>
        elsewhere
      </button>
    </>
  );
}

/** A search box for the URL parameter `to`, at `path`, with the router's query string shown. */
function renderFilter(path: string) {
  return renderPage(
    <>
      <SearchFilter param="to" label="Recipient" />
      <Location />
    </>,
    { path },
  );
}

describe("SearchFilter", () => {
  beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
  afterEach(() => vi.useRealTimers());

  it("keeps its text in the URL once typing pauses, back on the first page", async () => {
    await renderFilter("/list?to=old&page=3&status=sent");
    const box = screen.getByRole("searchbox", { name: "Recipient" }) as HTMLInputElement;
    const query = () => screen.getByLabelText("query").textContent;
    expect(box.value).toBe("old");
    fireEvent.change(box, { target: { value: "  ada " } });
    // The box answers at once; the URL waits for the pause.
    expect(box.value).toBe("  ada ");
    expect(query()).toBe("?to=old&page=3&status=sent");
    await act(async () => {
      vi.advanceTimersByTime(400);
    });
    expect(query()).toBe("?to=ada&status=sent");

    // Emptied, the parameter goes.
    fireEvent.change(box, { target: { value: "" } });
    await act(async () => {
      vi.advanceTimersByTime(400);
    });
    expect(query()).toBe("?status=sent");
  });

  it("follows the URL when it changes from elsewhere", async () => {
    await renderFilter("/list");
    fireEvent.click(screen.getByRole("button", { name: "elsewhere" }));
    const box = (await screen.findByRole("searchbox", { name: "Recipient" })) as HTMLInputElement;
    await vi.waitFor(() => expect(box.value).toBe("ops@example.test"));
  });
});
