import { QueryClient } from "@tanstack/react-query";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type CourseRating, REVIEWS_PAGE_SIZE } from "../../api/feedback";
import { type Me, sessionKeys } from "../../api/session";
import { renderPage } from "../../test/render";
import { CourseRatings } from "./CourseRatings";

const COURSE = "00000000-0000-4000-8000-00000000c001";
const TOTAL = REVIEWS_PAGE_SIZE + 5;

/** A review, newest first by its number. */
function review(n: number): CourseRating {
  const at = new Date(Date.UTC(2026, 10, 30) - n * 3_600_000).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    courseId: COURSE,
    rating: (n % 5) + 1,
    title: `Review ${n}`,
    content: null,
    reviewer: `Reader ${n}`,
    instructorResponse: null,
    instructorResponseAt: null,
    isVerifiedPurchase: false,
    createdAt: at,
    updatedAt: at,
  };
}

const REVIEWS = Array.from({ length: TOTAL }, (_, i) => review(i + 1));

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json" },
  });
}

/** The API as this page meets it: the ratings a page at a time, and no enrollment of mine. */
const requestedPages: number[] = [];
function answer(request: Request): Response {
  const url = new URL(request.url);
  if (url.pathname === `/api/v1/courses/${COURSE}/ratings`) {
    const page = Number(url.searchParams.get("page"));
    const limit = Number(url.searchParams.get("limit"));
    requestedPages.push(page);
    const totalPages = Math.ceil(TOTAL / limit);
    return json({
      success: true,
      data: REVIEWS.slice((page - 1) * limit, page * limit),
      meta: {
        pagination: {
          page,
          limit,
          total: TOTAL,
          totalPages,
          hasNext: page < totalPages,
          hasPrev: page > 1,
        },
        summary: { average: 3.1, count: TOTAL, distribution: {} },
      },
    });
  }
  if (url.pathname === "/api/v1/enrollments/mine") {
    const pagination = { page: 1, limit: 100, total: 0, totalPages: 0, hasNext: false };
    return json({
      success: true,
      data: [],
      meta: { pagination: { ...pagination, hasPrev: false } },
    });
  }
  throw new Error(`unexpected request ${request.method} ${url.pathname}`);
}

beforeEach(() => {
  requestedPages.length = 0;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => answer(input)),
  );
});

async function renderRatings() {
  // Kept while unobserved: the signed-in person is in the cache before anything renders.
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const me = { user: { id: "00000000-0000-4000-8000-0000000000u1", timezone: "UTC" } };
  client.setQueryData(sessionKeys.me(), me as unknown as Me);
  return renderPage(<CourseRatings courseId={COURSE} />, {
    namespaces: ["feedback"],
    client,
  });
}

describe("a course's reviews", () => {
  it("shows the first page, then appends the next page below it on Show more", async () => {
    await renderRatings();
    const list = await screen.findByRole("list", { name: "Reviews" });
    await within(list).findByText("Review 1");
    expect(within(list).getAllByRole("listitem")).toHaveLength(REVIEWS_PAGE_SIZE);
    expect(within(list).queryByText(`Review ${REVIEWS_PAGE_SIZE + 1}`)).toBeNull();
    expect(screen.getByText(`Showing ${REVIEWS_PAGE_SIZE} of ${TOTAL} reviews`)).toBeTruthy();
    expect(screen.getByText(`3.1 out of 5 (${TOTAL} ratings)`)).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Show more reviews" }));
    await within(list).findByText(`Review ${REVIEWS_PAGE_SIZE + 1}`);
    const shown = within(list)
      .getAllByRole("listitem")
      .map((item) => within(item).getByText(/^Review \d+$/).textContent);
    // The first page stays, the second follows it in order, nothing twice.
    expect(shown).toEqual(REVIEWS.map((r) => r.title));
    expect(requestedPages).toEqual([1, 2]);
    // Everything is shown: no count, no button.
    await waitFor(() =>
      expect(screen.queryByRole("button", { name: "Show more reviews" })).toBeNull(),
    );
    expect(screen.queryByText(/^Showing \d+ of/)).toBeNull();
  });
});
