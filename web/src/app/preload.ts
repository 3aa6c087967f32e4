import { type DataRouteObject, matchRoutes } from "react-router";

let routes: DataRouteObject[] = [];

/** The router's routes, registered once by the router module. */
export function setPreloadRoutes(all: DataRouteObject[]): void {
  routes = all;
}

/**
 * Starts loading what a path's page needs, before the person has clicked: the code of every
 * route on the way (their lazy chunks) and the page's data (their loaders, which share the
 * query keys with the page: app/pageData.ts). Safe to call often: loaded chunks are cached and
 * fresh queries are not asked again.
 */
export function preload(to: string): void {
  const url = new URL(to, window.location.origin);
  for (const { route, params } of matchRoutes(routes, url.pathname) ?? []) {
    if (typeof route.lazy === "function") route.lazy().catch(() => {});
    if (typeof route.loader === "function") {
      const request = new Request(url);
      void route.loader({ params, request, url, pattern: route.path ?? "", context: undefined });
    }
  }
}
