import { Select } from "@mantine/core";
import { useRoles } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";

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
