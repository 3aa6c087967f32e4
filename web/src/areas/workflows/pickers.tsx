import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useAssignableCourses } from "../../api/assignments";
import { courseQuery } from "../../api/catalog";
import { useRoles } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";

/**
 * The course an assignment step enrolls people in, searched among the courses the
 * organization may assign; keeps showing the chosen one while another search runs.
 */
export function StepCourseSelect({
  orgId,
  label,
  value,
  onChange,
  disabled,
}: {
  orgId: string;
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation("workflows");
  const me = useSignedInMe();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const current = useQuery({ ...courseQuery(me.user.id, value ?? ""), enabled: Boolean(value) });
  const chosenTitle = value && current.data?.course.id === value ? current.data.course.title : null;
  const query = chosenTitle && search === chosenTitle ? "" : debounced.trim();
  const courses = useAssignableCourses(me.user.id, orgId, query);
  const options = (courses.data ?? []).map((c) => ({ value: c.id, label: c.title }));
  if (value && !options.some((o) => o.value === value))
    options.unshift({ value, label: chosenTitle ?? t("step.chosenCourse") });
  return (
    <Select
      label={label}
      required
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={courses.isFetching ? t("step.searching") : t("step.noCourse")}
      data={options}
      value={value}
      onChange={onChange}
      disabled={disabled}
    />
  );
}

/** A role of the organization by its key (the stored key stays shown if it is unknown). */
export function RoleSelect({
  orgId,
  label,
  value,
  onChange,
  disabled,
}: {
  orgId: string;
  label: string;
  value: string;
  onChange: (key: string) => void;
  disabled?: boolean;
}) {
  const me = useSignedInMe();
  const roles = useRoles(me.user.id, orgId, true);
  const options = (roles.data?.items ?? []).map((r) => ({ value: r.key, label: r.name }));
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: value });
  return (
    <Select
      label={label}
      required
      searchable
      data={options}
      value={value || null}
      onChange={(key) => onChange(key ?? "")}
      disabled={disabled}
    />
  );
}
