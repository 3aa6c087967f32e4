import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router";
import { type Me, sessionKeys } from "../api/session";
import { i18next, i18nReady } from "../i18n";

/** The app's texts in `language`, with the given area namespaces loaded before rendering. */
export async function loadTexts(language: "en" | "de", namespaces: string[] = []): Promise<void> {
  await i18nReady;
  await i18next.changeLanguage(language);
  await i18next.loadNamespaces(["common", "errors", ...namespaces]);
}

/** A query client for one test: no retries, nothing shared between tests. */
export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: 0 } } });
}

/**
 * Renders `ui` inside the providers the app has (Mantine, TanStack Query, a router at
 * `path`), after loading the texts. Tests query the result by role and label.
 */
export async function renderPage(
  ui: ReactNode,
  options: {
    language?: "en" | "de";
    namespaces?: string[];
    path?: string;
    client?: QueryClient;
  } = {},
) {
  await loadTexts(options.language ?? "en", options.namespaces);
  const client = options.client ?? testQueryClient();
  return {
    client,
    ...render(
      <MantineProvider>
        <QueryClientProvider client={client}>
          <MemoryRouter initialEntries={[options.path ?? "/"]}>{ui}</MemoryRouter>
        </QueryClientProvider>
      </MantineProvider>,
    ),
  };
}

/** A JSON answer of the API, as a stubbed `fetch` returns it. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/**
 * A query client with a signed-in person who holds `permissions` in the organization `orgId`
 * (what `useSignedInMe` and the organization pages read), and no retries. (Kept, unlike
 * `testQueryClient`'s cache, until the page observes it.)
 */
export function signedInClient(orgId: string, permissions: string[] = []): QueryClient {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(sessionKeys.me(), {
    user: { id: "00000000-0000-4000-8000-0000000000u1", timezone: "UTC" },
    platformPermissions: [],
    memberships: [{ organization: { id: orgId, name: "Acme" }, permissions }],
  } as unknown as Me);
  return client;
}
