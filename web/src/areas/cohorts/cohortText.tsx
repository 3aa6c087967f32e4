import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Cohort, CohortStatus } from "../../api/cohorts";

const COLORS: Record<CohortStatus, string> = {
  scheduled: "gray.8",
  open: "teal.9",
  "in-progress": "indigo.9",
  completed: "grape.9",
  cancelled: "red.9",
};

/** A cohort's status as a badge. */
export function CohortStatusBadge({ status }: { status: CohortStatus }) {
  const { t } = useTranslation("cohorts");
  return (
    <Badge variant="outline" color={COLORS[status]}>
      {t(`status.${status}`)}
    </Badge>
  );
}

/** A moment on the clocks of a time zone, in the page's language. */
export function useZonedDateTime() {
  const { i18n } = useTranslation();
  return (iso: string, timeZone: string) =>
    new Intl.DateTimeFormat(i18n.language, {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone,
    }).format(new Date(iso));
}

/** How a cohort is described in lists and headers: its dates in its zone, its seats. */
export function useCohortText() {
  const { t, i18n } = useTranslation("cohorts");
  const zoned = useZonedDateTime();
  const number = new Intl.NumberFormat(i18n.language);
  return {
    dates: (cohort: Cohort) =>
      t("cohort.dates", {
        start: zoned(cohort.startsAt, cohort.timezone),
        end: zoned(cohort.endsAt, cohort.timezone),
        zone: cohort.timezone,
      }),
    seats: (cohort: Cohort) =>
      t("cohort.seats", {
        count: cohort.capacity,
        taken: number.format(cohort.enrolledCount),
        capacity: number.format(cohort.capacity),
      }),
    waiting: (cohort: Cohort) =>
      t("cohort.waiting", { count: cohort.waitlistCount, n: number.format(cohort.waitlistCount) }),
  };
}
