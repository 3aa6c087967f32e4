import {
  Anchor,
  Badge,
  Group,
  Paper,
  Skeleton,
  Stack,
  Text,
  Title,
  Typography,
} from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useCourse } from "../../api/catalog";
import {
  type Announcement,
  useCourseAnnouncements,
  useMarkAnnouncementRead,
} from "../../api/feedback";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";

const PRIORITY_COLOR = {
  low: "gray.8",
  normal: "gray.8",
  high: "grape.9",
  urgent: "red.9",
} as const;

/**
 * One announcement. Once half of it has been on screen it sends its read receipt; it stays
 * marked new until the person leaves the page, so what was new is still told apart.
 */
function AnnouncementItem({
  announcement,
  isNew,
  onSeen,
}: {
  announcement: Announcement;
  isNew: boolean;
  onSeen: (id: string) => void;
}) {
  const { t } = useTranslation("feedback");
  const format = useFormat();
  const ref = useRef<HTMLLIElement>(null);
  const unread = !announcement.readAt;
  useEffect(() => {
    const node = ref.current;
    if (!unread || !node) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          observer.disconnect();
          onSeen(announcement.id);
        }
      },
      { threshold: 0.5 },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [unread, announcement.id, onSeen]);
  const headingId = `announcement-${announcement.id}`;
  return (
    <Paper
      ref={ref}
      component="li"
      withBorder
      radius="md"
      p="md"
      aria-labelledby={headingId}
      style={isNew ? { borderLeft: "4px solid var(--mantine-color-indigo-7)" } : undefined}
    >
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" gap="xs">
          <Title order={2} size="h4" id={headingId}>
            {announcement.title}
          </Title>
          <Group gap="xs">
            {isNew && (
              <Badge color="indigo.9" variant="filled" size="sm">
                {t("announcements.new")}
              </Badge>
            )}
            {(announcement.priority === "high" || announcement.priority === "urgent") && (
              <Badge color={PRIORITY_COLOR[announcement.priority]} variant="filled" size="sm">
                {t(`announcements.priority.${announcement.priority}`)}
              </Badge>
            )}
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {t("announcements.published", { date: format.dateTime(announcement.publishAt) })}
        </Text>
        <Typography p={0}>
          {/* Sanitized on the server (allow-listed tags and attributes) before it is stored. */}
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: server-sanitized HTML */}
          <div dangerouslySetInnerHTML={{ __html: announcement.content }} />
        </Typography>
      </Stack>
    </Paper>
  );
}

function AnnouncementList({ courseId, list }: { courseId: string; list: Announcement[] }) {
  const { t } = useTranslation("feedback");
  const me = useSignedInMe();
  const markRead = useMarkAnnouncementRead(me.user.id, courseId);
  // What was unread when the page opened stays marked new for this visit.
  const [unreadAtOpen] = useState(() => new Set(list.filter((a) => !a.readAt).map((a) => a.id)));
  const sent = useRef(new Set<string>());
  const { mutate } = markRead;
  const [onSeen] = useState(() => (id: string) => {
    if (sent.current.has(id)) return;
    sent.current.add(id);
    mutate(id);
  });
  const newest = [...list].sort((a, b) => b.publishAt.localeCompare(a.publishAt));
  return (
    <Stack
      gap="md"
      component="ul"
      aria-label={t("announcements.listLabel")}
      style={{ listStyle: "none", padding: 0, margin: 0 }}
    >
      {newest.map((a) => (
        <AnnouncementItem
          key={a.id}
          announcement={a}
          isNew={unreadAtOpen.has(a.id)}
          onSeen={onSeen}
        />
      ))}
    </Stack>
  );
}

/**
 * A course's announcements for its learners (`/courses/:courseId/announcements`, the path
 * mailed with each one), newest first; the unread ones are marked and get a read receipt
 * once seen.
 */
export function AnnouncementsPage() {
  const { t } = useTranslation("feedback");
  usePageTitle(t("announcements.title"));
  const { courseId = "" } = useParams();
  const me = useSignedInMe();
  const course = useCourse(me.user.id, courseId);
  const announcements = useCourseAnnouncements(me.user.id, courseId);
  return (
    <Stack gap="lg" maw={820}>
      <Anchor component={Link} to={`/courses/${courseId}`} size="sm">
        {course.data
          ? t("announcements.back", { course: course.data.course.title })
          : t("announcements.backPlain")}
      </Anchor>
      <Stack gap={4}>
        <Title order={1}>{t("announcements.title")}</Title>
        {course.isPending ? (
          <Skeleton height={20} width={240} />
        ) : (
          course.data && <Text c="dimmed">{course.data.course.title}</Text>
        )}
      </Stack>
      <PageState
        query={announcements}
        pending={
          <Stack gap="md" aria-hidden>
            <Skeleton height={120} radius="md" />
            <Skeleton height={120} radius="md" />
          </Stack>
        }
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState title={t("announcements.emptyTitle")} reason={t("announcements.emptyBody")} />
        }
      >
        {(data) => <AnnouncementList courseId={courseId} list={data} />}
      </PageState>
    </Stack>
  );
}
