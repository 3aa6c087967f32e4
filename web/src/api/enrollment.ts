import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { catalogKeys } from "./catalog";
import { api, unwrap } from "./client";
import {
  type EnrollmentView,
  learnerKeys,
  myEnrollmentsQuery,
  refreshLearningSideEffects,
} from "./learner";
import type { components } from "./schema";

export type Enrollment = components["schemas"]["Enrollment"];
export type WaitlistEntry = components["schemas"]["WaitlistEntry"];
export type Payment = components["schemas"]["Payment"];

/** Query keys of the person's own enrollment business (waitlist places, payments), rooted at them. */
export const enrollmentKeys = {
  all: (userId: string) => ["enrollment", userId] as const,
  waitlist: (userId: string) => [...enrollmentKeys.all(userId), "waitlist"] as const,
  payment: (userId: string, paymentId: string) =>
    [...enrollmentKeys.all(userId), "payment", paymentId] as const,
};

/**
 * Refreshes everything an enrollment change touches: My learning, the course (enrolled count),
 * its cohorts (seats left), the catalog lists, the person's requests and waitlist places,
 * and what the server sent about it (payment received or refunded).
 */
function refreshAfterEnrollment(
  queryClient: ReturnType<typeof useQueryClient>,
  userId: string,
  courseId: string,
) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: learnerKeys.enrollments(userId) }),
    queryClient.invalidateQueries({ queryKey: catalogKeys.course(userId, courseId) }),
    queryClient.invalidateQueries({ queryKey: catalogKeys.lists(userId) }),
    queryClient.invalidateQueries({ queryKey: catalogKeys.requests(userId) }),
    queryClient.invalidateQueries({ queryKey: enrollmentKeys.waitlist(userId) }),
    refreshLearningSideEffects(queryClient, userId),
  ]);
}

/**
 * The person's enrollments (the same query as My learning, GET /enrollments/mine), refetched
 * every two seconds while `keepPolling` says so: used after a payment, until the provider's
 * notice has enrolled them.
 */
export function useMyEnrollmentsPolling(
  userId: string,
  keepPolling?: (items: EnrollmentView[] | undefined) => boolean,
) {
  return useQuery({
    ...myEnrollmentsQuery(userId),
    refetchInterval: (query) => (keepPolling?.(query.state.data?.items) ? 2_000 : false),
  });
}

/** The person's places on waitlists and open offers (GET /waitlist/mine). */
export const myWaitlistQuery = (userId: string) =>
  queryOptions({
    queryKey: enrollmentKeys.waitlist(userId),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/waitlist/mine", { signal })),
  });

export function useMyWaitlist(userId: string, enabled = true) {
  return useQuery({ ...myWaitlistQuery(userId), enabled });
}

/** One of the person's payments (GET /payments/{id}). */
export function usePayment(userId: string, paymentId: string) {
  return useQuery({
    queryKey: enrollmentKeys.payment(userId, paymentId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/payments/{paymentId}", { params: { path: { paymentId } }, signal })),
  });
}

/**
 * Starts (or resumes) paying for a course by card (POST /enrollments/checkout): holds a seat
 * and answers the provider's checkout URL, where the caller sends the browser.
 */
export function useCheckout(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { courseId: string; cohortId?: string }) =>
      unwrap(api.POST("/api/v1/enrollments/checkout", { body: { ...body, method: "card" } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: learnerKeys.enrollments(userId) }),
  });
}

/** Settles a checkout of the local card processor (POST /payments/{id}/simulate). */
export function useSimulatePayment(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { paymentId: string; courseId: string; outcome: "paid" | "failed" }) =>
      unwrap(
        api.POST("/api/v1/payments/{paymentId}/simulate", {
          params: { path: { paymentId: input.paymentId } },
          body: { outcome: input.outcome },
        }),
      ),
    onSuccess: (_result, input) =>
      Promise.all([
        refreshAfterEnrollment(queryClient, userId, input.courseId),
        queryClient.invalidateQueries({
          queryKey: enrollmentKeys.payment(userId, input.paymentId),
        }),
      ]),
  });
}

/** Joins a course with an access code (POST /enrollments/redeem); the code names the course. */
export function useRedeemCode(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { code: string; cohortId?: string }) =>
      unwrap(api.POST("/api/v1/enrollments/redeem", { body })),
    onSuccess: (result) =>
      refreshAfterEnrollment(queryClient, userId, result.enrollment?.courseId ?? ""),
  });
}

/** Withdraws the person's pending request to join (DELETE /enrollment-requests/{id}). */
export function useWithdrawRequest(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (requestId: string) =>
      unwrap(
        api.DELETE("/api/v1/enrollment-requests/{requestId}", {
          params: { path: { requestId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: catalogKeys.requests(userId) }),
  });
}

/** Drops the person's own enrollment (POST /enrollments/{id}/drop); its seat goes back. */
export function useDropEnrollment(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { enrollmentId: string; courseId: string }) =>
      unwrap(
        api.POST("/api/v1/enrollments/{enrollmentId}/drop", {
          params: { path: { enrollmentId: input.enrollmentId } },
          body: {},
        }),
      ),
    onSuccess: (_result, input) => refreshAfterEnrollment(queryClient, userId, input.courseId),
  });
}

/** Takes an offered seat (POST /waitlist/{id}/accept). */
export function useAcceptOffer(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (entry: Pick<WaitlistEntry, "id" | "courseId">) =>
      unwrap(
        api.POST("/api/v1/waitlist/{entryId}/accept", { params: { path: { entryId: entry.id } } }),
      ),
    onSuccess: (_result, entry) => refreshAfterEnrollment(queryClient, userId, entry.courseId),
  });
}

/** Declines an offered seat (POST /waitlist/{id}/decline); it goes to the next person. */
export function useDeclineOffer(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (entry: Pick<WaitlistEntry, "id" | "courseId">) =>
      api.POST("/api/v1/waitlist/{entryId}/decline", { params: { path: { entryId: entry.id } } }),
    onSuccess: (_result, entry) => refreshAfterEnrollment(queryClient, userId, entry.courseId),
  });
}

/** Leaves a waitlist (DELETE /waitlist/{id}). */
export function useLeaveWaitlist(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (entry: Pick<WaitlistEntry, "id" | "courseId">) =>
      api.DELETE("/api/v1/waitlist/{entryId}", { params: { path: { entryId: entry.id } } }),
    onSuccess: (_result, entry) => refreshAfterEnrollment(queryClient, userId, entry.courseId),
  });
}
