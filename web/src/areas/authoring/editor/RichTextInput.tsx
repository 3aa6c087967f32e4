import { Input, Skeleton } from "@mantine/core";
import { lazy, Suspense, useId } from "react";

// Tiptap and its styles load with the first text lesson opened, not with the app.
const RichTextField = lazy(() => import("./RichTextField"));

/** A labelled rich-text field (HTML in, HTML out), loaded on demand. */
export function RichTextInput({
  label,
  description,
  value,
  onChange,
  required,
  error,
}: {
  label: string;
  description?: string;
  value: string;
  onChange: (html: string) => void;
  required?: boolean;
  error?: string;
}) {
  const labelId = useId();
  return (
    <Input.Wrapper
      label={label}
      description={description}
      required={required}
      error={error}
      labelProps={{ id: labelId }}
    >
      <Suspense fallback={<Skeleton height={280} radius="md" />}>
        <RichTextField value={value} onChange={onChange} labelId={labelId} />
      </Suspense>
    </Input.Wrapper>
  );
}
