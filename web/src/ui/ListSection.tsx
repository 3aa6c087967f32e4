import { Skeleton, Stack, Text, Title } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ApiErrorAlert } from "./ApiErrorAlert";
import { EmptyState } from "./EmptyState";
import { PageState } from "./PageState";

/**
 * A titled section of a page listing one query's items, with actions on them: the h2, what
 * the last action did (announced), its error, then the list in its states (a skeleton while
 * loading, the empty state, an error with retry) and, below, `footer` (a form adding one).
 */
export function ListSection<T extends { items: readonly unknown[] }>({
  id,
  title,
  done,
  error,
  query,
  empty,
  footer,
  children,
}: {
  /** The heading's id, which names the section. */
  id: string;
  title: string;
  done: string | null;
  error: Error | null;
  query: UseQueryResult<T>;
  empty: { title: string; reason: string };
  footer?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  return (
    <Stack gap="sm" component="section" aria-labelledby={id}>
      <Title order={2} id={id}>
        {title}
      </Title>
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      {error && <ApiErrorAlert error={error} />}
      <PageState
        query={query}
        pending={<Skeleton height={120} radius="md" />}
        isEmpty={(data) => data.items.length === 0}
        empty={<EmptyState title={empty.title} reason={empty.reason} headingLevel={3} />}
      >
        {children}
      </PageState>
      {footer}
    </Stack>
  );
}
