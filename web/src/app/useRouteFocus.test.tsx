import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Link, Navigate, Route, Routes, useSearchParams } from "react-router";
import { describe, expect, it, vi } from "vitest";
import { renderPage } from "../test/render";
import { useRouteFocus } from "./useRouteFocus";

function Pages() {
  useRouteFocus();
  const [, setParams] = useSearchParams();
  return (
    <main id="main" tabIndex={-1}>
      <Routes>
        <Route
          path="/"
          element={
            <>
              <h1>My learning</h1>
              <Link to="/catalog">Catalog</Link>
            </>
          }
        />
        <Route
          path="/catalog"
          element={
            <>
              <h1>Catalog</h1>
              <button type="button" onClick={() => setParams({ q: "orbit" })}>
                Search
              </button>
            </>
          }
        />
      </Routes>
    </main>
  );
}

describe("focus after moving between pages", () => {
  it("leaves focus alone when the page redirects before the person did anything", async () => {
    vi.resetModules();
    const fresh = (await import("./useRouteFocus")).useRouteFocus;
    function Redirecting() {
      fresh();
      return (
        <main id="main" tabIndex={-1}>
          <Routes>
            <Route path="/learn" element={<Navigate to="/lesson" replace />} />
            <Route path="/lesson" element={<h1>First lesson</h1>} />
          </Routes>
        </main>
      );
    }
    await renderPage(<Redirecting />, { path: "/learn" });
    await screen.findByRole("heading", { level: 1, name: "First lesson" });
    await new Promise((r) => setTimeout(r, 100));
    expect(document.activeElement).toBe(document.body);
  });

  it("leaves the first page alone, then focuses the new page's heading", async () => {
    await renderPage(<Pages />);
    await new Promise((r) => setTimeout(r, 100));
    expect(document.activeElement).toBe(document.body);
    await userEvent.click(screen.getByRole("link", { name: "Catalog" }));
    const heading = await screen.findByRole("heading", { level: 1, name: "Catalog" });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(heading.getAttribute("tabindex")).toBe("-1");
  });

  it("keeps focus where it is when only the query string changes", async () => {
    await renderPage(<Pages />, { path: "/catalog" });
    const search = screen.getByRole("button", { name: "Search" });
    await userEvent.click(search);
    await new Promise((r) => setTimeout(r, 50));
    expect(document.activeElement).toBe(search);
  });
});
