import { Badge, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Course } from "../../api/catalog";
import { useFormat } from "../../i18n/format";

/** A course's price: "Free", else the amount in its currency, in the page's language. */
export function usePrice() {
  const { t } = useTranslation("catalog");
  const format = useFormat();
  return (course: Pick<Course, "price">) =>
    course.price.amount === 0
      ? t("course.free")
      : format.money(course.price.amount, course.price.currency);
}

/** The average rating out of five and how many rated, or that nobody has yet. */
export function RatingText({ rating }: { rating: Course["rating"] }) {
  const { t } = useTranslation("catalog");
  const { i18n } = useTranslation();
  if (rating.count === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t("course.noRatings")}
      </Text>
    );
  }
  const average = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(
    rating.average,
  );
  return (
    <Text size="sm">
      <span aria-hidden>★ </span>
      {t("course.rating", { average, count: rating.count })}
    </Text>
  );
}

/** Level, format and duration as badges. */
export function CourseBadges({
  course,
}: {
  course: Pick<Course, "level" | "delivery" | "durationMinutes">;
}) {
  const { t } = useTranslation("catalog");
  const format = useFormat();
  return (
    <Group gap="xs">
      <Badge variant="light" color="indigo">
        {t(`course.level.${course.level}`)}
      </Badge>
      <Badge variant="light" color="gray">
        {t(`course.delivery.${course.delivery}`)}
      </Badge>
      {course.durationMinutes > 0 && (
        <Badge variant="outline" color="gray">
          {format.duration(course.durationMinutes)}
        </Badge>
      )}
    </Group>
  );
}
