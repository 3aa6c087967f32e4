import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components } from "./schema";

export type LookupValue = components["schemas"]["LookupValue"];

export const PLATFORM_PAGE_SIZE = 25;

/** Query keys of the platform administrator's pages. */
export const platformKeys = {
  all: (userId: string) => ["platform", userId] as const,
  list: (userId: string, what: string, params: Record<string, unknown>) =>
    [...platformKeys.all(userId), what, params] as const,
};

/** Every organization (GET /organizations answers all of them to platform administrators). */
export function usePlatformOrganizations(userId: string, page: number, search: string) {
  return useQuery({
    queryKey: platformKeys.list(userId, "organizations", { page, search }),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations", {
          params: {
            query: { page, limit: PLATFORM_PAGE_SIZE, ...(search ? { search } : {}) },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export interface NewOrganization {
  name: string;
  adminEmail?: string;
  domain?: string | null;
  seatsPurchased?: number | null;
}

export function useCreateOrganization(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewOrganization) =>
      unwrap(api.POST("/api/v1/organizations", { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: platformKeys.all(userId) }),
  });
}

export type AccountStatus = "active" | "suspended" | "deactivated";

/** Every account, newest first. */
export function usePlatformUsers(
  userId: string,
  page: number,
  search: string,
  status: AccountStatus | null,
) {
  return useQuery({
    queryKey: platformKeys.list(userId, "users", { page, search, status }),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/users", {
          params: {
            query: {
              page,
              limit: PLATFORM_PAGE_SIZE,
              sort: "-createdAt",
              ...(search ? { search } : {}),
              ...(status ? { status } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Suspends or reactivates an account. */
export function useAccountStatus(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      userId: string;
      status: "active" | "suspended";
      reason: string | null;
    }) =>
      unwrap(
        api.PATCH("/api/v1/users/{userId}/status", {
          params: { path: { userId: input.userId } },
          body: { status: input.status, reason: input.reason },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: platformKeys.all(userId) }),
  });
}

/** Platform-wide lookup values of a category, inactive ones included. */
export function useLookupValues(userId: string, category: string) {
  return useQuery({
    queryKey: platformKeys.list(userId, "lookups", { category }),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/lookup-values", {
          params: { query: { category, includeInactive: "true" } },
          signal,
        }),
      ),
  });
}

export type LookupChange =
  | { kind: "add"; category: string; key: string; displayAs: string; description: string | null }
  | { kind: "active"; id: string; isActive: boolean };

export function useLookupChange(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: LookupChange) =>
      change.kind === "add"
        ? unwrap(
            api.POST("/api/v1/lookup-values", {
              body: {
                category: change.category,
                key: change.key,
                displayAs: change.displayAs,
                description: change.description,
              },
            }),
          )
        : unwrap(
            api.PATCH("/api/v1/lookup-values/{lookupValueId}", {
              params: { path: { lookupValueId: change.id } },
              body: { isActive: change.isActive },
            }),
          ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: platformKeys.all(userId) }),
  });
}

export type JobStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

export function usePlatformJobs(userId: string, page: number, status: JobStatus | null) {
  return useQuery({
    queryKey: platformKeys.list(userId, "jobs", { page, status }),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/admin/jobs", {
          params: { query: { page, limit: PLATFORM_PAGE_SIZE, ...(status ? { status } : {}) } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
}

export type MailStatus = "queued" | "sending" | "sent" | "failed";

export function usePlatformMail(
  userId: string,
  page: number,
  to: string,
  status: MailStatus | null,
) {
  return useQuery({
    queryKey: platformKeys.list(userId, "mail", { page, to, status }),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/admin/mail-outbox", {
          params: {
            query: {
              page,
              limit: PLATFORM_PAGE_SIZE,
              ...(to ? { to } : {}),
              ...(status ? { status } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Liveness (GET /health), read every 15 seconds. */
export function usePlatformLiveness() {
  return useQuery({
    queryKey: ["platform-health", "live"],
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/health", { signal })),
    refetchInterval: 15_000,
  });
}

/** Readiness (GET /ready: the database answers), read every 15 seconds; 503 when not ready. */
export function usePlatformReadiness() {
  return useQuery({
    queryKey: ["platform-health", "ready"],
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/ready", { signal })),
    refetchInterval: 15_000,
    retry: false,
  });
}
