import { Group, type GroupProps } from "@mantine/core";

/** A list's row of filters: wraps on narrow screens, the fields aligned on their inputs. */
export function FilterRow(props: GroupProps) {
  return <Group align="flex-end" wrap="wrap" gap="sm" {...props} />;
}
