import { Alert, Anchor, Text } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Lesson, LessonProgress } from "../../api/player";
import { EmbeddedFrame } from "../../ui/EmbeddedFrame";
import { clock } from "./outline";
import type { StudyTracker } from "./useStudyTracker";

interface MediaContent {
  url: string;
  provider?: string;
  captionsUrl?: string;
}

/** A video on YouTube or Vimeo, in their own player (study time counts; position does not). */
export function HostedVideo({ title, src }: { title: string; src: string }) {
  return (
    <EmbeddedFrame
      src={src}
      title={title}
      allow="fullscreen; picture-in-picture"
      style={{ width: "100%", aspectRatio: "16 / 9", border: 0, display: "block" }}
    />
  );
}

/**
 * A video or audio lesson in the browser's own player: it resumes at the stored position,
 * reports position and the share seen with each heartbeat (and on pause), and at the end
 * reports 100 % and calls `onEnded` (the lesson completes when its rule allows).
 */
export function MediaLesson({
  lesson,
  kind,
  visit,
  tracker,
  media,
  onEnded,
}: {
  lesson: Lesson;
  kind: "video" | "audio";
  visit: LessonProgress;
  tracker: StudyTracker;
  media: React.RefObject<HTMLMediaElement | null>;
  onEnded: () => void;
}) {
  const { t } = useTranslation("player");
  const content = lesson.content as unknown as MediaContent;
  const [resumedAt, setResumedAt] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const resumeFrom = visit.lastPosition;

  useEffect(() => {
    tracker.source.current = () => {
      const el = media.current;
      if (!el) return {};
      const duration = Number.isFinite(el.duration) && el.duration > 0 ? el.duration : 0;
      return {
        position: el.currentTime,
        ...(duration ? { percent: (el.currentTime / duration) * 100 } : {}),
      };
    };
    return () => {
      tracker.source.current = null;
    };
  }, [tracker.source, media]);

  const onLoadedMetadata = () => {
    const el = media.current;
    // Resume where the learner left off, unless that was the very end.
    if (el && resumeFrom > 0 && (!Number.isFinite(el.duration) || resumeFrom < el.duration - 1)) {
      el.currentTime = resumeFrom;
      setResumedAt(resumeFrom);
    }
  };
  const handlers = {
    ref: media as React.RefObject<HTMLVideoElement & HTMLAudioElement>,
    src: content.url,
    controls: true,
    preload: "metadata" as const,
    onLoadedMetadata,
    onPause: () => void tracker.flush(),
    onEnded: () => void tracker.flush({ percent: 100 }).then(onEnded),
    onError: () => setFailed(true),
    className: "lesson-media",
    style: { width: "100%", maxHeight: "70vh", display: "block" },
  };
  const label = t(kind === "video" ? "content.videoLabel" : "content.audioLabel", {
    title: lesson.title,
  });
  return (
    <div>
      {kind === "video" ? (
        <video {...handlers} aria-label={label} data-testid="lesson-media">
          {content.captionsUrl && <track kind="captions" src={content.captionsUrl} default />}
        </video>
      ) : (
        <audio {...handlers} aria-label={label} data-testid="lesson-media" />
      )}
      {resumedAt !== null && (
        <Text size="sm" c="dimmed" mt="xs" role="status">
          {t("content.resumeFrom", { time: clock(resumedAt) })}
        </Text>
      )}
      {failed && (
        <Alert color="red" variant="light" mt="xs" role="alert">
          {t("content.mediaError")}
          <Anchor href={content.url} target="_blank" rel="noopener noreferrer">
            {t("content.mediaLink")}
          </Anchor>
        </Alert>
      )}
    </div>
  );
}
