import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components } from "./schema";

export type SeatAllocation = components["schemas"]["SeatAllocation"];
export type PaymentView = components["schemas"]["PaymentView"];
export type PaymentStatus = PaymentView["status"];

export const PAYMENTS_PAGE_SIZE = 25;

export const purchaseKeys = {
  org: (userId: string, orgId: string) => ["purchases", userId, orgId] as const,
  seats: (userId: string, orgId: string) => [...purchaseKeys.org(userId, orgId), "seats"] as const,
  payments: (userId: string, orgId: string, page: number, status: PaymentStatus | null) =>
    [...purchaseKeys.org(userId, orgId), "payments", page, status] as const,
};

/** Seats the organization bought in courses, with how many are used. */
export function useSeatAllocations(userId: string, orgId: string) {
  return useQuery({
    queryKey: purchaseKeys.seats(userId, orgId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/seat-allocations", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
  });
}

/** Payments for the organization's courses, newest first. */
export function useOrganizationPayments(
  userId: string,
  orgId: string,
  page: number,
  status: PaymentStatus | null,
) {
  return useQuery({
    queryKey: purchaseKeys.payments(userId, orgId, page, status),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/payments", {
          params: {
            path: { organizationId: orgId },
            query: { page, limit: PAYMENTS_PAGE_SIZE, ...(status ? { status } : {}) },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export type PaymentAction =
  | { kind: "refund"; paymentId: string; amount: number | null; reason: string | null }
  | { kind: "mark-paid"; paymentId: string; reference: string };

/** Refunds a payment (all of it, or `amount`) or records that an invoice was paid. */
export function usePaymentAction(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: PaymentAction) => {
      const path = { paymentId: action.paymentId };
      return action.kind === "refund"
        ? unwrap(
            api.POST("/api/v1/payments/{paymentId}/refund", {
              params: { path },
              body: {
                ...(action.amount ? { amount: action.amount } : {}),
                ...(action.reason ? { reason: action.reason } : {}),
              },
            }),
          )
        : unwrap(
            api.POST("/api/v1/payments/{paymentId}/mark-paid", {
              params: { path },
              body: { reference: action.reference },
            }),
          );
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: purchaseKeys.org(userId, orgId) }),
  });
}
