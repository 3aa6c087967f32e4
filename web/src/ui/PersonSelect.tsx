import { Select, type StyleProp } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMember, useMembers } from "../api/people";
import { useSignedInMe } from "../app/RequireAuth";

/** A person of an organization as a picker offers them. */
export type PersonChoice = { userId: string; fullName: string; email: string };

const labelOf = (p: PersonChoice) => `${p.fullName} (${p.email})`;

/**
 * One person of an organization, searched on the server by name or email (so everyone can be
 * found, not only a first page of members). It keeps showing the chosen one while another
 * search runs: by the name the page already knows (`chosenName`), else by looking the member
 * up — which a filter turns off (`lookUp={false}`), as reading a member's page is logged.
 */
export function PersonSelect({
  orgId,
  label,
  description,
  placeholder,
  value,
  onChange,
  required,
  error,
  chosenName,
  lookUp = true,
  anyStatus = false,
  autoFocus,
  w,
}: {
  orgId: string;
  label: string;
  description?: string;
  placeholder?: string;
  value: string | null;
  onChange: (id: string | null, person: PersonChoice | null) => void;
  required?: boolean;
  error?: string;
  /** The chosen person's name when the page knows it (from the rows it shows). */
  chosenName?: string | null;
  /** Look the chosen member up when their name is not known (default: yes). */
  lookUp?: boolean;
  /** Offer suspended members too (filters of logs and requests), not only active ones. */
  anyStatus?: boolean;
  autoFocus?: boolean;
  w?: StyleProp<React.CSSProperties["width"]>;
}) {
  const { t } = useTranslation();
  const me = useSignedInMe();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const [known, setKnown] = useState<Record<string, PersonChoice>>({});
  const chosen = value ? known[value] : undefined;
  const stored = useMemberName(orgId, lookUp && value && !chosen && !chosenName ? value : null);
  const chosenLabel = chosen ? labelOf(chosen) : (chosenName ?? stored ?? undefined);
  const query = chosenLabel && search === chosenLabel ? "" : debounced.trim();
  const members = useMembers(me.user.id, orgId, {
    page: 1,
    search: query,
    status: anyStatus ? null : "active",
  });
  const found: PersonChoice[] = (members.data?.items ?? []).map((m) => ({
    userId: m.userId,
    fullName: m.fullName,
    email: m.email,
  }));
  const options = found.map((p) => ({ value: p.userId, label: labelOf(p) }));
  if (value && !options.some((o) => o.value === value))
    options.unshift({ value, label: chosenLabel ?? t("pickers.chosenPerson") });
  return (
    <Select
      label={label}
      description={description}
      placeholder={placeholder}
      required={required}
      clearable={!required}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={members.isFetching ? t("pickers.searching") : t("pickers.noPeople")}
      data={options}
      value={value}
      onChange={(id) => {
        const person = (id && (found.find((p) => p.userId === id) ?? known[id])) || null;
        if (person) setKnown((k) => ({ ...k, [person.userId]: person }));
        onChange(id, person);
      }}
      error={error}
      data-autofocus={autoFocus || undefined}
      w={w}
    />
  );
}

/** A member's name and email by user id (null while unknown, or when `id` is null). */
export function useMemberName(orgId: string, id: string | null): string | null {
  const me = useSignedInMe();
  const member = useMember(me.user.id, orgId, id);
  return member.data ? labelOf(member.data) : null;
}
