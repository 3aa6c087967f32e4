import { MultiSelect, Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useDepartments, useMembers, useTeams } from "../api/people";
import { useSignedInMe } from "../app/RequireAuth";

/**
 * Choices of an organization's people (searched by name or email), one of its teams, or one
 * of its departments: what assignments go to and what report templates are shared with. Each
 * lists only what the person may read (the server narrows the lists).
 */

export type Person = { userId: string; fullName: string };

export function PeoplePicker({
  orgId,
  value,
  onChange,
}: {
  orgId: string;
  value: Person[];
  onChange: (people: Person[]) => void;
}) {
  const { t } = useTranslation();
  const me = useSignedInMe();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const members = useMembers(me.user.id, orgId, {
    page: 1,
    search: debounced.trim(),
    status: "active",
  });
  const found = (members.data?.items ?? []).map((m) => ({
    userId: m.userId,
    fullName: m.fullName,
    email: m.email,
  }));
  const known = new Map<string, Person & { email?: string }>(value.map((p) => [p.userId, p]));
  for (const person of found) known.set(person.userId, person);
  return (
    <MultiSelect
      label={t("pickers.people")}
      description={t("pickers.peopleHint")}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={members.isFetching ? t("pickers.searching") : t("pickers.noPeople")}
      data={[...known.values()].map((p) => ({
        value: p.userId,
        label: p.email ? `${p.fullName} (${p.email})` : p.fullName,
      }))}
      value={value.map((p) => p.userId)}
      onChange={(ids) =>
        onChange(
          ids.map((id) => {
            const person = known.get(id);
            return { userId: id, fullName: person?.fullName ?? id };
          }),
        )
      }
    />
  );
}

export function TeamPicker({
  orgId,
  value,
  onChange,
  error,
}: {
  orgId: string;
  value: string | null;
  onChange: (id: string | null) => void;
  /** Why the choice is refused (a form's check). */
  error?: string;
}) {
  const { t } = useTranslation();
  const me = useSignedInMe();
  const teams = useTeams(me.user.id, orgId);
  return (
    <Select
      label={t("pickers.team")}
      required
      data={(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))}
      value={value}
      onChange={onChange}
      error={error}
      nothingFoundMessage={t("pickers.noTeams")}
    />
  );
}

export function DepartmentPicker({
  orgId,
  value,
  onChange,
  error,
}: {
  orgId: string;
  value: string | null;
  onChange: (id: string | null) => void;
  /** Why the choice is refused (a form's check). */
  error?: string;
}) {
  const { t } = useTranslation();
  const me = useSignedInMe();
  const departments = useDepartments(me.user.id, orgId, true);
  return (
    <Select
      label={t("pickers.department")}
      required
      data={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
      value={value}
      onChange={onChange}
      error={error}
      nothingFoundMessage={t("pickers.noDepartments")}
    />
  );
}
