import { TextInput, type TextInputProps } from "@mantine/core";
import { useUrlSearchText } from "./useUrlSearchText";

/**
 * A list's search box, its text kept in the URL parameter `param` (useUrlSearchText: the box
 * answers at once, the URL and the list once typing pauses). Full width on a phone.
 */
export function SearchFilter({
  param = "q",
  w = { base: "100%", xs: 280 },
  ...props
}: Omit<TextInputProps, "value" | "onChange" | "type"> & { param?: string }) {
  const [text, setText] = useUrlSearchText(param);
  return (
    <TextInput
      {...props}
      type="search"
      w={w}
      value={text}
      onChange={(event) => setText(event.currentTarget.value)}
    />
  );
}
