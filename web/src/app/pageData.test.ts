import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { queryClient } from "../api/queryClient";
import { pageData } from "./pageData";
import { preload, setPreloadRoutes } from "./preload";

/** The API as the loaders meet it: records each request; GET /users/me answers when released. */
function fakeApi() {
  const requested: string[] = [];
  let releaseMe: () => void = () => {};
  const meAnswered = new Promise<void>((resolve) => {
    releaseMe = resolve;
  });
  const json = (data: unknown) =>
    new Response(JSON.stringify({ data }), { headers: { "content-type": "application/json" } });
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => {
      const url = new URL(input.url);
      requested.push(`${url.pathname}${url.search}`);
      if (url.pathname === "/api/v1/users/me") {
        await meAnswered;
        return json({ user: { id: "user-1" }, memberships: [], platformPermissions: [] });
      }
      if (url.pathname === "/api/v1/notifications/unread-count") return json({ unread: 0 });
      if (url.pathname.endsWith("/mine") && !url.pathname.startsWith("/api/v1/enrollments")) {
        return json(null);
      }
      return json([]);
    }),
  );
  return { requested, releaseMe };
}

/** Lets every started request and the loaders' follow-ups run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

const loaderArgs = (path: string, params: Record<string, string> = {}) => {
  const url = new URL(path, window.location.origin);
  return { params, request: new Request(url), url, pattern: "", context: undefined };
};

beforeEach(() => queryClient.clear());
afterEach(() => {
  queryClient.clear();
  vi.unstubAllGlobals();
});

describe("the pages' loaders", () => {
  it("ask for an integration, its health and its runs together, after /users/me", async () => {
    const api = fakeApi();
    pageData.integration(loaderArgs("/integrations/i-1", { integrationId: "i-1" }));
    await settle();
    expect(api.requested).toEqual(["/api/v1/users/me"]);
    api.releaseMe();
    await settle();
    expect(api.requested.slice(1).sort()).toEqual(
      [
        "/api/v1/lms-integrations/i-1",
        "/api/v1/lms-integrations/i-1/health?windowDays=30",
        "/api/v1/lms-integrations/i-1/sync-runs?page=1&limit=10",
        "/api/v1/notifications/unread-count",
      ].sort(),
    );
  });

  it("ask for the course page's data all at once, after /users/me and never twice", async () => {
    const api = fakeApi();
    expect(pageData.course(loaderArgs("/courses/c-1", { courseId: "c-1" }))).toBeNull();
    await settle();
    // Round one: only the person (every key is rooted at them).
    expect(api.requested).toEqual(["/api/v1/users/me"]);

    api.releaseMe();
    await settle();
    // Round two: everything the page's parts read, started together.
    expect(api.requested.slice(1).sort()).toEqual(
      [
        "/api/v1/courses/c-1",
        "/api/v1/courses/c-1/cohorts",
        "/api/v1/courses/c-1/progress/mine",
        "/api/v1/courses/c-1/ratings/mine",
        "/api/v1/courses/c-1/ratings?page=1&limit=20",
        "/api/v1/enrollment-requests/mine",
        "/api/v1/enrollments/mine?limit=100",
        "/api/v1/notifications/unread-count",
        "/api/v1/waitlist/mine",
      ].sort(),
    );

    // Fresh data is not asked for again (a second visit, or a hover before the click).
    const before = api.requested.length;
    pageData.course(loaderArgs("/courses/c-1", { courseId: "c-1" }));
    await settle();
    expect(api.requested.length).toBe(before);
  });

  it("skip a course's cohorts when the catalog already said it has none", async () => {
    const api = fakeApi();
    api.releaseMe();
    queryClient.setQueryData(["catalog", "user-1", "list", { page: 1 }], {
      items: [{ id: "c-2", delivery: "self-paced" }],
      meta: undefined,
    });
    pageData.course(loaderArgs("/courses/c-2", { courseId: "c-2" }));
    await settle();
    expect(api.requested).toContain("/api/v1/courses/c-2");
    expect(api.requested).not.toContain("/api/v1/courses/c-2/cohorts");
  });

  it("ask for the catalog page the address names, with the key the page reads", async () => {
    const api = fakeApi();
    api.releaseMe();
    pageData.catalog(loaderArgs("/catalog?q=orbit&level=advanced&level=nonsense&page=2"));
    await settle();
    const list = api.requested.find((r) => r.startsWith("/api/v1/courses?"));
    expect(new URLSearchParams(list?.split("?")[1]).get("search")).toBe("orbit");
    expect(new URLSearchParams(list?.split("?")[1]).get("level")).toBe("advanced");
    expect(new URLSearchParams(list?.split("?")[1]).get("page")).toBe("2");
    expect(api.requested).toContain("/api/v1/courses/categories");
  });

  it("stop quietly when there is no session", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        Response.json({ error: { code: "UNAUTHENTICATED", message: "Sign in" } }, { status: 401 }),
      ),
    );
    pageData.myLearning(loaderArgs("/"));
    await settle();
    // Only /users/me (and no refresh without a CSRF cookie): nothing else is asked.
    const calls = vi.mocked(fetch).mock.calls.map(([r]) => new URL((r as Request).url).pathname);
    expect(calls).toEqual(["/api/v1/users/me"]);
  });
});

describe("preloading a link's page", () => {
  it("loads the code and starts the loader of every route on the way", async () => {
    const lazy = vi.fn(async () => ({}));
    const loader = vi.fn(() => null);
    const other = vi.fn(() => null);
    setPreloadRoutes([
      {
        id: "layout",
        loader,
        children: [
          { id: "course", path: "courses/:courseId", lazy, loader },
          { id: "catalog", path: "catalog", loader: other },
        ],
      },
    ]);
    preload("/courses/c-9?payment=success");
    expect(lazy).toHaveBeenCalledTimes(1);
    expect(loader).toHaveBeenCalledTimes(2);
    const [args] = loader.mock.calls[1] as unknown as [{ params: object; request: Request }];
    expect(args.params).toEqual({ courseId: "c-9" });
    expect(new URL(args.request.url).search).toBe("?payment=success");
    expect(other).not.toHaveBeenCalled();
  });
});
