import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Course } from "../../api/authoring";

const COLORS: Record<Course["status"], string> = {
  draft: "gray.8",
  published: "teal.9",
  archived: "grape.9",
};

/** A course's status as a badge: draft, published or archived. */
export function StatusBadge({ status }: { status: Course["status"] }) {
  const { t } = useTranslation("authoring");
  return (
    <Badge variant="outline" color={COLORS[status]}>
      {t(`status.${status}`)}
    </Badge>
  );
}
