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
}: {
  label: string;
  description?: string;
  value: string;
  onChange: (html: string) => void;
}) {
  const labelId = useId();
  return (
    <Input.Wrapper label={label} description={description} labelProps={{ id: labelId }}>
      <Suspense fallback={<Skeleton height={280} radius="md" />}>
        <RichTextField value={value} onChange={onChange} labelId={labelId} />
      </Suspense>
    </Input.Wrapper>
  );
}
