import { Select, type SelectProps } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type CourseChoices,
  type CourseListItem,
  courseQuery,
  useCourseChoices,
} from "../api/catalog";
import { useSignedInMe } from "../app/RequireAuth";

/**
 * A course, searched by title among those an organization may assign (or, with
 * `choices="own"`, its own in any state): what an assignment, a compliance requirement, a
 * workflow step and an LMS course link name. The chosen course keeps showing while another
 * search runs; one chosen before the box showed (an edit form) is shown by its title.
 */
export function CourseSelect({
  orgId,
  value,
  onChange,
  label,
  description,
  placeholder,
  error,
  disabled,
  choices = "assignable",
  autoFocus,
  w,
}: {
  orgId: string;
  value: string | null;
  /** The course chosen from the list (null when the choice was cleared). */
  onChange: (id: string | null, course: CourseListItem | null) => void;
  label: string;
  description?: string;
  placeholder?: string;
  error?: string;
  disabled?: boolean;
  choices?: CourseChoices;
  autoFocus?: boolean;
  w?: SelectProps["w"];
}) {
  const { t } = useTranslation();
  const me = useSignedInMe();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const [kept, setKept] = useState<CourseListItem | null>(null);
  const known = value && kept?.id === value ? kept : null;
  const current = useQuery({
    ...courseQuery(me.user.id, value ?? ""),
    enabled: Boolean(value) && !known,
  });
  const chosenTitle =
    known?.title ?? (value && current.data?.course.id === value ? current.data.course.title : null);
  // While a course is chosen, the box shows its title: that is not a new search.
  const query = chosenTitle && search === chosenTitle ? "" : debounced.trim();
  const courses = useCourseChoices(me.user.id, orgId, query, choices);
  const found = courses.data ?? [];
  const options = found.map((c) => ({ value: c.id, label: c.title }));
  if (value && !options.some((o) => o.value === value))
    options.unshift({ value, label: chosenTitle ?? t("pickers.chosenCourse") });
  return (
    <Select
      label={label}
      description={description}
      placeholder={placeholder}
      required
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={
        courses.isFetching
          ? t("pickers.searching")
          : t(choices === "own" ? "pickers.noOwnCourse" : "pickers.noAssignableCourse")
      }
      data={options}
      value={value}
      onChange={(id) => {
        const course = found.find((c) => c.id === id) ?? (id && id === known?.id ? known : null);
        setKept(course);
        onChange(id, course);
      }}
      error={error}
      disabled={disabled}
      data-autofocus={autoFocus || undefined}
      w={w}
    />
  );
}
