import { Progress, Stack, Text } from "@mantine/core";

/**
 * The progress of a bulk action: a labelled bar and, for screen readers, the count announced
 * as it moves (`label` says "12 of 40 done" in the page's words).
 */
export function BulkProgress({
  done,
  total,
  label,
}: {
  done: number;
  total: number;
  label: string;
}) {
  const percent = total ? Math.round((done / total) * 100) : 0;
  return (
    <Stack gap={4}>
      <Progress value={percent} aria-label={label} size="lg" transitionDuration={150} />
      <Text size="sm" role="status" aria-live="polite">
        {label}
      </Text>
    </Stack>
  );
}
