import { Select, type SelectProps } from "@mantine/core";

/**
 * A list filter's choice: "any" first (the filter unset), then the options. `onChange` gets
 * null for "any", so callers write the URL parameter or clear it.
 */
export function FilterSelect({
  any,
  options,
  value,
  onChange,
  ...props
}: Omit<SelectProps, "data" | "value" | "onChange"> & {
  any: string;
  options: Array<{ value: string; label: string }>;
  value: string | null;
  onChange: (value: string | null) => void;
}) {
  return (
    <Select
      {...props}
      data={[{ value: "", label: any }, ...options]}
      value={value ?? ""}
      allowDeselect={false}
      onChange={(next) => onChange(next || null)}
    />
  );
}
