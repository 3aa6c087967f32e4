import { NumberInput, Select, Stack, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { LessonType } from "../../api/authoring";
import { localInputValue } from "../../ui/days";
import { RichTextInput } from "./editor/RichTextInput";
import { FileUpload } from "./FileUpload";

export type Content = Record<string, unknown>;

/** The content a new lesson of each type starts with. */
export function emptyContent(type: LessonType): Content {
  switch (type) {
    case "text":
      return { html: "" };
    case "video":
      return { url: "", provider: "upload" };
    case "interactive":
      return { embedUrl: "", height: 600 };
    case "live-session":
      return { startsAt: "", durationMinutes: 60, provider: "other" };
    default:
      return { url: "" };
  }
}

/** What the file picker offers for each type that can be uploaded. */
const UPLOADS: Partial<Record<LessonType, string>> = {
  video: "video/mp4,video/webm",
  audio: "audio/mpeg,audio/mp4,audio/ogg,audio/wav,audio/webm",
  pdf: "application/pdf",
};

/**
 * The fields of a lesson's content, by type: a rich-text body; a video, audio file or PDF by
 * address or upload (with its length or pages); an embedded page over HTTPS with its height; a
 * live session's start, length and join link; an outside link. Optional numbers left empty are
 * left out, so the server works out durations itself.
 */
export function LessonContentFields({
  courseId,
  type,
  content,
  onChange,
  fieldError,
}: {
  courseId: string;
  type: LessonType;
  content: Content;
  onChange: (content: Content) => void;
  fieldError: (field: string) => string | undefined;
}) {
  const { t } = useTranslation("authoring");
  const set = (key: string, value: unknown) => {
    const next = { ...content };
    if (value === "" || value === undefined || value === null) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  const text = (key: string) => (typeof content[key] === "string" ? (content[key] as string) : "");
  const number = (key: string) =>
    typeof content[key] === "number" ? (content[key] as number) : ("" as const);
  const numberField = (key: string, label: string, min: number, max: number) => (
    <NumberInput
      label={label}
      min={min}
      max={max}
      allowDecimal={false}
      value={number(key)}
      onChange={(value) => set(key, value === "" ? undefined : Number(value))}
      error={fieldError(`content.${key}`)}
      maw={240}
    />
  );
  const urlField = (key: string, label: string, required = true) => (
    <TextInput
      type="url"
      label={label}
      required={required}
      maxLength={2000}
      value={text(key)}
      onChange={(event) => set(key, event.currentTarget.value.trim())}
      error={fieldError(`content.${key}`)}
    />
  );
  const upload = UPLOADS[type] && (
    <FileUpload
      courseId={courseId}
      accept={UPLOADS[type]}
      label={t("lesson.uploadFile")}
      onUploaded={(file) =>
        onChange({ ...content, url: file.url, ...(type === "video" ? { provider: "upload" } : {}) })
      }
    />
  );

  switch (type) {
    case "text":
      return (
        <RichTextInput
          label={t("lesson.body")}
          description={t("lesson.bodyHint")}
          value={text("html")}
          onChange={(html) => onChange({ html })}
        />
      );
    case "video":
      return (
        <Stack gap="sm">
          {urlField("url", t("lesson.videoUrl"))}
          {upload}
          <Select
            label={t("lesson.provider")}
            data={["upload", "youtube", "vimeo", "other"].map((p) => ({
              value: p,
              label: t(`providers.${p}`),
            }))}
            value={text("provider") || "other"}
            allowDeselect={false}
            onChange={(value) => set("provider", value)}
            maw={240}
          />
          {numberField("durationSeconds", t("lesson.lengthSeconds"), 0, 86_400)}
          {urlField("captionsUrl", t("lesson.captionsUrl"), false)}
        </Stack>
      );
    case "audio":
      return (
        <Stack gap="sm">
          {urlField("url", t("lesson.audioUrl"))}
          {upload}
          {numberField("durationSeconds", t("lesson.lengthSeconds"), 0, 86_400)}
        </Stack>
      );
    case "pdf":
      return (
        <Stack gap="sm">
          {urlField("url", t("lesson.pdfUrl"))}
          {upload}
          {numberField("pageCount", t("lesson.pages"), 1, 100_000)}
        </Stack>
      );
    case "interactive":
      return (
        <Stack gap="sm">
          {urlField("embedUrl", t("lesson.embedUrl"))}
          {numberField("height", t("lesson.height"), 100, 4000)}
        </Stack>
      );
    case "live-session":
      return (
        <Stack gap="sm">
          <TextInput
            type="datetime-local"
            label={t("lesson.startsAt")}
            required
            value={text("startsAt") ? localInputValue(text("startsAt")) : ""}
            onChange={(event) => {
              const value = event.currentTarget.value;
              set("startsAt", value ? new Date(value).toISOString() : undefined);
            }}
            error={fieldError("content.startsAt")}
            maw={280}
          />
          {numberField("durationMinutes", t("lesson.sessionMinutes"), 1, 1440)}
          {urlField("joinUrl", t("lesson.joinUrl"), false)}
          <Select
            label={t("lesson.provider")}
            data={["zoom", "meet", "teams", "other"].map((p) => ({
              value: p,
              label: t(`providers.${p}`),
            }))}
            value={text("provider") || "other"}
            allowDeselect={false}
            onChange={(value) => set("provider", value)}
            maw={240}
          />
        </Stack>
      );
    case "external-link":
      return (
        <Stack gap="sm">
          {urlField("url", t("lesson.linkUrl"))}
          <TextInput
            label={t("lesson.linkLabel")}
            maxLength={200}
            value={text("label")}
            onChange={(event) => set("label", event.currentTarget.value)}
          />
        </Stack>
      );
  }
}
