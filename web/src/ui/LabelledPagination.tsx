import { Group, Pagination } from "@mantine/core";
import { useTranslation } from "react-i18next";

/**
 * Pages of a list, every control named for screen readers (Mantine's buttons only show
 * numbers and arrows; "Previous page", "Page 2 of 5" unless `labels` say otherwise); nothing
 * when there is one page.
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
  labels?: { previous: string; next: string; page: (page: number, pages: number) => string };
}) {
  const { t } = useTranslation();
  if (total <= 1) return null;
  const names = labels ?? {
    previous: t("pagination.previous"),
    next: t("pagination.next"),
    page: (page: number, pages: number) => t("pagination.page", { page, pages }),
  };
  return (
    <Group justify="center">
      <Pagination
        total={total}
        value={value}
        onChange={onChange}
        getControlProps={(control) => ({
          "aria-label": control === "previous" ? names.previous : names.next,
        })}
        getItemProps={(item) => ({ "aria-label": names.page(item, total) })}
      />
    </Group>
  );
}
