import { Select } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useCourseCohorts } from "../../api/catalog";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";

/**
 * The cohort choice of the assignment dialog: the course's open and scheduled cohorts (the
 * course is chosen with ui/CourseSelect.tsx; people, teams and departments with ui/pickers.tsx).
 */

export function CohortPicker({
  courseId,
  value,
  onChange,
}: {
  courseId: string;
  value: string | null;
  onChange: (id: string | null) => void;
}) {
  const { t } = useTranslation("assignments");
  const me = useSignedInMe();
  const format = useFormat();
  const cohorts = useCourseCohorts(me.user.id, courseId, true);
  const open = (cohorts.data ?? []).filter((c) => c.status === "open" || c.status === "scheduled");
  return (
    <Select
      label={t("assign.cohort")}
      required
      data={open.map((c) => ({
        value: c.id,
        label: t("assign.cohortOption", {
          name: c.name,
          date: format.date(c.startsAt),
          seats: c.seatsLeft,
        }),
      }))}
      value={value}
      onChange={onChange}
      nothingFoundMessage={t("assign.noCohort")}
      error={cohorts.isSuccess && open.length === 0 ? t("assign.noCohort") : undefined}
    />
  );
}
