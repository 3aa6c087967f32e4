import { Skeleton, Stack, Text } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { EmptyState } from "./EmptyState";
import { LabelledPagination } from "./LabelledPagination";
import { PageState } from "./PageState";

/**
 * One page of a paged list in its states: a skeleton while loading, the empty state, an error
 * with retry, then the rows (dimmed while the next page loads over them), an optional count
 * above them (announced), and the page controls below.
 */
export function PagedList<T>({
  query,
  page,
  onPage,
  empty,
  count,
  children,
}: {
  query: UseQueryResult<{
    items: T[];
    meta: { pagination?: { total: number; totalPages: number } } | undefined;
  }>;
  page: number;
  onPage: (page: number) => void;
  empty: { title: string; reason: string; headingLevel?: 2 | 3 };
  /** The sentence saying how many match ("12 people"). */
  count?: (total: number) => string;
  children: (items: T[]) => ReactNode;
}) {
  return (
    <PageState
      query={query}
      pending={<Skeleton height={240} radius="md" />}
      isEmpty={(data) => data.items.length === 0}
      empty={<EmptyState {...empty} />}
    >
      {(data) => (
        <Stack gap="sm" style={{ opacity: query.isPlaceholderData ? 0.6 : 1 }}>
          {count && (
            <Text size="sm" c="dimmed" role="status" aria-live="polite">
              {count(data.meta?.pagination?.total ?? data.items.length)}
            </Text>
          )}
          {children(data.items)}
          <LabelledPagination
            total={data.meta?.pagination?.totalPages ?? 1}
            value={page}
            onChange={onPage}
          />
        </Stack>
      )}
    </PageState>
  );
}
