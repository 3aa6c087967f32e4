import { Paper, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** An empty list or page: a headline, the reason, and the action that fills it (when there is one). */
export function EmptyState({
  title,
  reason,
  action,
  headingLevel = 2,
}: {
  title: string;
  reason: string;
  action?: ReactNode;
  headingLevel?: 2 | 3;
}) {
  return (
    <Paper withBorder p="xl" radius="md">
      <Stack align="center" gap="sm" ta="center">
        <Title order={headingLevel} size="h3">
          {title}
        </Title>
        <Text c="dimmed" maw={480}>
          {reason}
        </Text>
        {action}
      </Stack>
    </Paper>
  );
}
