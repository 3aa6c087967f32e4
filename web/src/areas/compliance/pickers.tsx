import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useAssignableCourses } from "../../api/assignments";
import { courseQuery } from "../../api/catalog";
import { useMember, useMembers } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";

/**
 * Single choices the compliance forms ask for: the course that meets a requirement
 * (searched among the courses the organization may assign) and a person of the organization
 * (searched by name or email). Each keeps showing the chosen one while another search runs.
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

export function PersonSelect({
  orgId,
  label,
  description,
  value,
  onChange,
  required,
  error,
}: {
  orgId: string;
  label: string;
  description?: string;
  value: string | null;
  onChange: (id: string | null) => void;
  required?: boolean;
  error?: string;
}) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const [names, setNames] = useState<Record<string, string>>({});
  const stored = useMemberName(orgId, value && !names[value] ? value : null);
  const chosenLabel = value ? (names[value] ?? stored ?? undefined) : undefined;
  const query = chosenLabel && search === chosenLabel ? "" : debounced.trim();
  const members = useMembers(me.user.id, orgId, { page: 1, search: query, status: "active" });
  const options = (members.data?.items ?? []).map((m) => ({
    value: m.userId,
    label: `${m.fullName} (${m.email})`,
  }));
  if (value && !options.some((o) => o.value === value))
    options.unshift({ value, label: chosenLabel ?? t("form.chosenPerson") });
  return (
    <Select
      label={label}
      description={description}
      required={required}
      clearable={!required}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={members.isFetching ? t("form.searching") : t("form.noPerson")}
      data={options}
      value={value}
      onChange={(id, option) => {
        if (id && option) setNames((n) => ({ ...n, [id]: option.label }));
        onChange(id);
      }}
      error={error}
    />
  );
}

/** A member's name and email by user id (null while unknown, or when `id` is null). */
export function useMemberName(orgId: string, id: string | null): string | null {
  const me = useSignedInMe();
  const member = useMember(me.user.id, orgId, id);
  return member.data ? `${member.data.fullName} (${member.data.email})` : null;
}
