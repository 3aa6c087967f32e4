import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  Typography,
  VisuallyHidden,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Lesson, LessonProgress } from "../../api/player";
import { useFormat } from "../../i18n/format";
import { EmbeddedFrame } from "../../ui/EmbeddedFrame";
import { hostedVideoEmbed } from "./hostedVideo";
import { HostedVideo, MediaLesson } from "./MediaLesson";
import type { StudyTracker } from "./useStudyTracker";

type Content = Record<string, unknown>;
const str = (content: Content, key: string) =>
  typeof content[key] === "string" ? (content[key] as string) : undefined;
const num = (content: Content, key: string) =>
  typeof content[key] === "number" ? (content[key] as number) : undefined;

/** Where a live session stands now. */
export function liveState(content: Content, now = Date.now()): "upcoming" | "running" | "over" {
  const starts = Date.parse(str(content, "startsAt") ?? "");
  const ends = starts + (num(content, "durationMinutes") ?? 0) * 60_000;
  if (Number.isNaN(starts) || now < starts) return "upcoming";
  return now < ends ? "running" : "over";
}

/** A link that opens in a new tab, saying so to screen readers and sighted people alike. */
function NewTabLabel({ children }: { children: string }) {
  const { t } = useTranslation("player");
  return (
    <>
      {children} <span aria-hidden>↗</span>
      <VisuallyHidden>{t("content.newTab")}</VisuallyHidden>
    </>
  );
}

/** Text: HTML the server sanitized when the lesson was saved (no scripts, handlers or unsafe URLs; the page's CSP refuses inline script besides). */
function TextLesson({ content }: { content: Content }) {
  // The lesson's title is the page's one h1: headings inside the text start at h2.
  const html = (str(content, "html") ?? "").replace(/<(\/?)h1\b/gi, "<$1h2");
  return (
    <Typography>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by the server on save */}
      <div dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}

/** Whether the page may frame a URL (its CSP allows frames from this origin and over HTTPS). */
export function frameable(url: string): boolean {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "https:" || parsed.origin === window.location.origin;
  } catch {
    return false;
  }
}

function PdfLesson({ lesson, content }: { lesson: Lesson; content: Content }) {
  const { t } = useTranslation("player");
  const url = str(content, "url") ?? "";
  const pages = num(content, "pageCount");
  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button component="a" href={url} target="_blank" rel="noopener noreferrer" variant="light">
          <NewTabLabel>{t("content.pdfOpen")}</NewTabLabel>
        </Button>
        <Button component="a" href={url} download variant="default">
          {t("content.pdfDownload")}
        </Button>
        {pages && (
          <Text size="sm" c="dimmed">
            {t("content.pdfPages", { count: pages })}
          </Text>
        )}
      </Group>
      {frameable(url) && (
        <EmbeddedFrame
          src={url}
          title={t("content.pdfTitle", { title: lesson.title })}
          style={{ width: "100%", height: "70vh", border: "1px solid var(--mantine-color-gray-4)" }}
        />
      )}
    </Stack>
  );
}

function InteractiveLesson({ lesson, content }: { lesson: Lesson; content: Content }) {
  const { t } = useTranslation("player");
  const [loaded, setLoaded] = useState(false);
  const url = str(content, "embedUrl") ?? "";
  return (
    <Stack gap="sm">
      {!loaded && (
        <Group gap="xs" role="status">
          <Loader size="xs" aria-hidden />
          <Text size="sm">{t("content.interactiveLoading")}</Text>
        </Group>
      )}
      <EmbeddedFrame
        src={url}
        title={t("content.interactiveTitle", { title: lesson.title })}
        sandbox="allow-scripts allow-same-origin allow-forms allow-popups"
        onLoad={() => setLoaded(true)}
        style={{ width: "100%", height: num(content, "height") ?? 600, border: 0 }}
      />
      <Anchor href={url} target="_blank" rel="noopener noreferrer" size="sm">
        <NewTabLabel>{t("content.interactiveOpen")}</NewTabLabel>
      </Anchor>
    </Stack>
  );
}

function LiveSessionLesson({ content }: { content: Content }) {
  const { t } = useTranslation("player");
  const format = useFormat();
  const startsAt = str(content, "startsAt");
  const joinUrl = str(content, "joinUrl");
  const state = liveState(content);
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        {startsAt && (
          <Text fw={600}>{t("content.liveStarts", { dateTime: format.dateTime(startsAt) })}</Text>
        )}
        <Text size="sm">
          {t("content.liveDuration", {
            duration: format.duration(num(content, "durationMinutes") ?? 0),
          })}
        </Text>
        <Badge variant="dot" color={state === "running" ? "teal" : "gray"} w="fit-content">
          {t(
            state === "upcoming"
              ? "content.liveUpcoming"
              : state === "running"
                ? "content.liveRunning"
                : "content.liveOver",
          )}
        </Badge>
        {joinUrl && state !== "over" ? (
          <Button
            component="a"
            href={joinUrl}
            target="_blank"
            rel="noopener noreferrer"
            w="fit-content"
          >
            <NewTabLabel>{t("content.liveJoin")}</NewTabLabel>
          </Button>
        ) : (
          !joinUrl && (
            <Text size="sm" c="dimmed">
              {t("content.liveNoLink")}
            </Text>
          )
        )}
      </Stack>
    </Paper>
  );
}

function ExternalLinkLesson({ content, onOpened }: { content: Content; onOpened: () => void }) {
  const { t } = useTranslation("player");
  const url = str(content, "url") ?? "";
  const label = str(content, "label") ?? t("content.externalDefault");
  return (
    <Stack gap="sm">
      <Button
        component="a"
        href={url}
        target="_blank"
        rel="noopener noreferrer"
        onClick={onOpened}
        w="fit-content"
        maw="100%"
      >
        <NewTabLabel>{t("content.externalOpen", { label })}</NewTabLabel>
      </Button>
      <Text size="sm" c="dimmed">
        {t("content.externalHint")}
      </Text>
    </Stack>
  );
}

/** The lesson's content, by its type (the API's seven lesson types). */
export function LessonContent({
  lesson,
  visit,
  tracker,
  media,
  onMediaEnded,
  onExternalOpened,
}: {
  lesson: Lesson;
  visit: LessonProgress;
  tracker: StudyTracker;
  media: React.RefObject<HTMLMediaElement | null>;
  onMediaEnded: () => void;
  onExternalOpened: () => void;
}) {
  const { t } = useTranslation("player");
  const content = lesson.content as Content;
  switch (lesson.contentType) {
    case "video":
    case "audio": {
      const hosted =
        lesson.contentType === "video"
          ? hostedVideoEmbed(content.provider, str(content, "url") ?? "")
          : null;
      if (hosted)
        return (
          <HostedVideo src={hosted} title={t("content.videoLabel", { title: lesson.title })} />
        );
      return (
        <MediaLesson
          lesson={lesson}
          kind={lesson.contentType}
          visit={visit}
          tracker={tracker}
          media={media}
          onEnded={onMediaEnded}
        />
      );
    }
    case "text":
      return <TextLesson content={content} />;
    case "pdf":
      return <PdfLesson lesson={lesson} content={content} />;
    case "interactive":
      return <InteractiveLesson lesson={lesson} content={content} />;
    case "live-session":
      return <LiveSessionLesson content={content} />;
    case "external-link":
      return <ExternalLinkLesson content={content} onOpened={onExternalOpened} />;
    default:
      return (
        <Alert color="gray" variant="light">
          {t("lesson.unsupported", { type: lesson.contentType })}
        </Alert>
      );
  }
}
