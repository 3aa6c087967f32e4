import { Group, Pagination } from "@mantine/core";

/**
 * Pages of a list, every control named for screen readers (Mantine's buttons only show
 * numbers and arrows); nothing when there is one page.
 */
export function LabelledPagination({
  total,
  value,
  onChange,
  labels,
}: {
  total: number;
  value: number;
  onChange: (page: number) => void;
  labels: { previous: string; next: string; page: (page: number, pages: number) => string };
}) {
  if (total <= 1) return null;
  return (
    <Group justify="center">
      <Pagination
        total={total}
        value={value}
        onChange={onChange}
        getControlProps={(control) => ({
          "aria-label": control === "previous" ? labels.previous : labels.next,
        })}
        getItemProps={(item) => ({ "aria-label": labels.page(item, total) })}
      />
    </Group>
  );
}
