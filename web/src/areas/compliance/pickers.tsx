import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useAssignableCourses } from "../../api/assignments";
import { courseQuery } from "../../api/catalog";
import { useSignedInMe } from "../../app/RequireAuth";

/**
 * The course that meets a requirement, searched among the courses the organization may
 * assign; it keeps showing the chosen one while another search runs. (A person is chosen with
 * the shared `ui/PersonSelect`.)
 */

export function CourseSelect({
  orgId,
  value,
  onChange,
  error,
  label,
  description,
  disabled,
}: {
  orgId: string;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string;
  /** In place of the requirement form's label and help (null: no help). */
  label?: string;
  description?: string | null;
  disabled?: boolean;
}) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const current = useQuery({ ...courseQuery(me.user.id, value ?? ""), enabled: Boolean(value) });
  const chosenTitle = value && current.data?.course.id === value ? current.data.course.title : null;
  const query = chosenTitle && search === chosenTitle ? "" : debounced.trim();
  const courses = useAssignableCourses(me.user.id, orgId, query);
  const options = (courses.data ?? []).map((c) => ({ value: c.id, label: c.title }));
  if (value && !options.some((o) => o.value === value))
    options.unshift({ value, label: chosenTitle ?? t("form.chosenCourse") });
  return (
    <Select
      label={label ?? t("form.course")}
      description={description === undefined ? t("form.courseHelp") : description}
      required
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={courses.isFetching ? t("form.searching") : t("form.noCourse")}
      data={options}
      value={value}
      onChange={onChange}
      error={error}
      disabled={disabled}
    />
  );
}
