import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components, paths } from "./schema";

export type BankQuestion = components["schemas"]["BankQuestion"];
export type BankQuery = NonNullable<
  paths["/api/v1/organizations/{organizationId}/question-bank"]["get"]["parameters"]["query"]
>;
export type JsonImportResult = NonNullable<
  paths["/api/v1/organizations/{organizationId}/question-bank/import"]["post"]["responses"]["200"]["content"]["application/json"]
>["data"];
export type QtiImportResult = NonNullable<
  paths["/api/v1/organizations/{organizationId}/question-bank/import-qti"]["post"]["responses"]["200"]["content"]["application/json"]
>["data"];

export const BANK_PAGE_SIZE = 25;

/** Query keys of the question bank, rooted at the person and the organization. */
export const bankKeys = {
  org: (userId: string, orgId: string) => ["question-bank", userId, orgId] as const,
  list: (userId: string, orgId: string, query: BankQuery) =>
    [...bankKeys.org(userId, orgId), query] as const,
};

/** One page of an organization's question bank, filtered. */
export function useBank(userId: string, orgId: string, query: BankQuery) {
  return useQuery({
    queryKey: bankKeys.list(userId, orgId, query),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/question-bank", {
          params: { path: { organizationId: orgId }, query },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    enabled: orgId !== "",
  });
}

/**
 * Imports questions into the bank: a Lyceum JSON export, or QTI 3.0 item documents. Answers
 * each item's result (stored, or refused with its problem).
 */
export function useBankImport(userId: string, orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (
      input: { kind: "json"; body: unknown } | { kind: "qti"; documents: string[] },
    ): Promise<
      { kind: "json"; result: JsonImportResult } | { kind: "qti"; result: QtiImportResult }
    > =>
      input.kind === "json"
        ? {
            kind: "json",
            result: await unwrap(
              api.POST("/api/v1/organizations/{organizationId}/question-bank/import", {
                params: { path: { organizationId: orgId } },
                body: input.body as never,
              }),
            ),
          }
        : {
            kind: "qti",
            result: await unwrap(
              api.POST("/api/v1/organizations/{organizationId}/question-bank/import-qti", {
                params: { path: { organizationId: orgId } },
                body: { documents: input.documents },
              }),
            ),
          },
    onSuccess: () => client.invalidateQueries({ queryKey: bankKeys.org(userId, orgId) }),
  });
}
