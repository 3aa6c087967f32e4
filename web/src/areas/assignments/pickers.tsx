import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useAssignableCourses } from "../../api/assignments";
import { type CourseListItem, useCourseCohorts } from "../../api/catalog";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";

/**
 * The course and cohort choices of the assignment dialog, each searching or listing what the
 * person may see (people, teams and departments are chosen with ui/pickers.tsx).
 */

export function CoursePicker({
  orgId,
  course,
  onChange,
}: {
  orgId: string;
  course: CourseListItem | null;
  onChange: (course: CourseListItem | null) => void;
}) {
  const { t } = useTranslation("assignments");
  const me = useSignedInMe();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  // While a course is chosen, the box shows its title: that is not a new search.
  const query = course && search === course.title ? "" : debounced.trim();
  const courses = useAssignableCourses(me.user.id, orgId, query);
  const options = [...(courses.data ?? [])];
  if (course && !options.some((c) => c.id === course.id)) options.unshift(course);
  return (
    <Select
      label={t("assign.course")}
      placeholder={t("assign.coursePlaceholder")}
      required
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={courses.isFetching ? t("assign.searching") : t("assign.noCourse")}
      data={options.map((c) => ({ value: c.id, label: c.title }))}
      value={course?.id ?? null}
      onChange={(id) => onChange(options.find((c) => c.id === id) ?? null)}
      data-autofocus
    />
  );
}

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
