import { Group, Paper, Stack, Text, Title } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

/**
 * One section of My learning: a heading (h2, named for screen readers' landmarks), an optional
 * link beside it, and its content or, when it has nothing, a short empty state.
 */
export function Section({
  id,
  title,
  aside,
  empty,
  children,
}: {
  id: string;
  title: string;
  aside?: ReactNode;
  /** Shown instead of the children when set: why the section is empty. */
  empty?: { title: string; reason: string; action?: ReactNode } | null;
  children?: ReactNode;
}) {
  return (
    <Stack gap="sm" component="section" aria-labelledby={id}>
      <Group justify="space-between" align="baseline" gap="xs">
        <Title order={2} size="h3" id={id}>
          {title}
        </Title>
        {aside}
      </Group>
      {empty ? (
        <Paper withBorder p="md" radius="md">
          <Stack gap={4}>
            <Text fw={600}>{empty.title}</Text>
            <Text size="sm" c="dimmed">
              {empty.reason}
            </Text>
            {empty.action}
          </Stack>
        </Paper>
      ) : (
        children
      )}
    </Stack>
  );
}

/** A list of cards without bullets, named for screen readers. */
export const CARD_LIST_STYLE = { listStyle: "none", padding: 0, margin: 0 } as const;

/**
 * A section listing what `query` loaded (`children`, the list's items): its error with a
 * retry, or, once it loaded nothing (`count` 0), why the section is empty.
 */
export function QueryListSection({
  id,
  title,
  aside,
  query,
  count,
  empty,
  listLabel,
  children,
}: {
  id: string;
  title: string;
  aside?: ReactNode;
  query: UseQueryResult<unknown>;
  /** How many items the query loaded. */
  count: number;
  empty: { title: string; reason: string };
  /** The list's name for screen readers. */
  listLabel: string;
  children: ReactNode;
}) {
  return (
    <Section
      id={id}
      title={title}
      aside={aside}
      empty={query.isSuccess && count === 0 ? empty : null}
    >
      {query.isError ? (
        <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Stack gap="xs" component="ul" aria-label={listLabel} style={CARD_LIST_STYLE}>
          {children}
        </Stack>
      )}
    </Section>
  );
}
