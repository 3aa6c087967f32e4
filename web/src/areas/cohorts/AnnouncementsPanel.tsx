import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Typography,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { EditorCourse } from "../../api/authoring";
import { useCourseCohorts } from "../../api/catalog";
import {
  type Announcement,
  useAnnouncementChange,
  useAnnouncementReads,
} from "../../api/community";
import { useCourseAnnouncements } from "../../api/feedback";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { AnnouncementDialog } from "./AnnouncementDialog";
import { type AnnouncementState, announcementState } from "./lifecycle";

const STATE_COLORS: Record<AnnouncementState, string> = {
  draft: "gray.8",
  scheduled: "blue.9",
  live: "teal.9",
  expired: "grape.9",
};

/**
 * A course's announcements as its team sees them, latest first: each with where it stands
 * (draft, scheduled, live, expired), its priority, who it reaches, when it goes out and how
 * many read it (who, in a dialog); written, changed and deleted here.
 */
export function AnnouncementsPanel({ course }: { course: EditorCourse["course"] }) {
  const { t } = useTranslation("cohorts");
  const me = useSignedInMe();
  const announcements = useCourseAnnouncements(me.user.id, course.id);
  const { save, remove } = useAnnouncementChange(me.user.id, course.id);
  const [done, setDone] = useState("");
  const [editing, setEditing] = useState<Announcement | "new" | null>(null);
  const [deleting, setDeleting] = useState<Announcement | null>(null);
  const [reading, setReading] = useState<Announcement | null>(null);
  const open = (item: Announcement | "new") => {
    save.reset();
    setEditing(item);
  };
  return (
    <Stack gap="sm" component="section" aria-labelledby="announcements-heading">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Title order={2} id="announcements-heading">
          {t("announcements.title")}
        </Title>
        <Button onClick={() => open("new")}>{t("announcements.new")}</Button>
      </Group>
      <Text size="sm" role="status" aria-live="polite">
        {done}
      </Text>
      {remove.error && !deleting && <ApiErrorAlert error={remove.error} />}
      <PageState
        query={announcements}
        pending={<Skeleton height={200} radius="md" />}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState
            headingLevel={3}
            title={t("announcements.emptyTitle")}
            reason={t("announcements.emptyReason")}
          />
        }
      >
        {(list) => (
          <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
            {list.map((announcement) => (
              <AnnouncementCard
                key={announcement.id}
                course={course}
                announcement={announcement}
                onEdit={() => open(announcement)}
                onDelete={() => {
                  remove.reset();
                  setDeleting(announcement);
                }}
                onReads={() => setReading(announcement)}
              />
            ))}
          </Stack>
        )}
      </PageState>
      {editing && (
        <AnnouncementDialog
          course={course}
          announcement={editing === "new" ? null : editing}
          save={save}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setDone(
              t(editing === "new" ? "announcements.created" : "announcements.saved", {
                title: saved.title,
              }),
            );
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t("announcements.deleteTitle", { title: deleting.title })}
          text={t("announcements.deleteText")}
          confirm={t("announcements.delete")}
          busy={remove.isPending}
          onClose={() => setDeleting(null)}
          onConfirm={() =>
            remove.mutate(deleting.id, {
              onSuccess: () => setDone(t("announcements.deleted", { title: deleting.title })),
              onSettled: () => setDeleting(null),
            })
          }
        />
      )}
      {reading && <ReadsDialog announcement={reading} onClose={() => setReading(null)} />}
    </Stack>
  );
}

function AnnouncementCard({
  course,
  announcement,
  onEdit,
  onDelete,
  onReads,
}: {
  course: EditorCourse["course"];
  announcement: Announcement;
  onEdit: () => void;
  onDelete: () => void;
  onReads: () => void;
}) {
  const { t } = useTranslation("cohorts");
  const format = useFormat();
  const me = useSignedInMe();
  const cohorts = useCourseCohorts(
    me.user.id,
    course.id,
    announcement.audience === "cohort" && course.delivery === "cohort-based",
  );
  const state = announcementState(announcement);
  const headingId = `announcement-${announcement.id}`;
  const audience =
    announcement.audience === "cohort"
      ? t("announcements.toCohort", {
          name:
            cohorts.data?.find((c) => c.id === announcement.cohortId)?.name ??
            t("announcements.aCohort"),
        })
      : announcement.audience === "users"
        ? t("announcements.toLearners", { count: announcement.userIds?.length ?? 0 })
        : t("announcements.toAll");
  const when =
    state === "scheduled"
      ? t("announcements.goesOut", { date: format.dateTime(announcement.publishAt) })
      : state === "draft"
        ? t("announcements.draftFor", { date: format.dateTime(announcement.publishAt) })
        : t("announcements.wentOut", { date: format.dateTime(announcement.publishAt) });
  return (
    <Paper component="li" withBorder p="md" radius="md" aria-labelledby={headingId}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Title order={3} size="h4" id={headingId} style={{ overflowWrap: "anywhere" }}>
            {announcement.title}
          </Title>
          <Group gap="xs">
            {announcement.priority !== "normal" && (
              <Badge variant="outline" color={announcement.priority === "low" ? "gray.8" : "red.9"}>
                {t(`announcements.priorities.${announcement.priority}`)}
              </Badge>
            )}
            <Badge variant="outline" color={STATE_COLORS[state]}>
              {t(`announcements.states.${state}`)}
            </Badge>
          </Group>
        </Group>
        <Text size="sm">
          {audience} · {when}
          {announcement.expiresAt &&
            ` · ${t("announcements.until", { date: format.dateTime(announcement.expiresAt) })}`}
        </Text>
        <Typography p={0} fz="sm" style={{ overflowWrap: "anywhere" }}>
          {/* Sanitized on the server (allow-listed tags and attributes) before it is stored. */}
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: server-sanitized HTML */}
          <div dangerouslySetInnerHTML={{ __html: announcement.content }} />
        </Typography>
        <Group
          gap="xs"
          wrap="wrap"
          role="group"
          aria-label={t("announcements.actionsFor", { title: announcement.title })}
        >
          <Text size="sm" mr="xs">
            {t("announcements.readBy", { count: announcement.readCount ?? 0 })}
          </Text>
          <Button size="xs" variant="default" onClick={onReads}>
            {t("announcements.whoRead")}
          </Button>
          <Button size="xs" variant="default" onClick={onEdit}>
            {t("announcements.edit")}
          </Button>
          <Button size="xs" variant="outline" color="red.9" onClick={onDelete}>
            {t("announcements.delete")}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** Who read an announcement and when, of how many it reaches. */
function ReadsDialog({
  announcement,
  onClose,
}: {
  announcement: Announcement;
  onClose: () => void;
}) {
  const { t } = useTranslation("cohorts");
  const format = useFormat();
  const me = useSignedInMe();
  const reads = useAnnouncementReads(me.user.id, announcement.id);
  return (
    <Modal
      opened
      onClose={onClose}
      title={t("announcements.readsTitle", { title: announcement.title })}
      closeButtonProps={{ "aria-label": t("announcements.close") }}
    >
      <PageState query={reads} pending={<Skeleton height={120} />}>
        {(data) => (
          <Stack gap="sm">
            <Text>
              {t("announcements.readsOf", {
                count: data.audienceSize,
                read: data.readers.length,
              })}
            </Text>
            {data.readers.length > 0 && (
              <Table.ScrollContainer minWidth={0}>
                <Table aria-label={t("announcements.readers")}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("announcements.reader")}</Table.Th>
                      <Table.Th>{t("announcements.readAt")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.readers.map((reader) => (
                      <Table.Tr key={reader.userId}>
                        <Table.Td style={{ overflowWrap: "anywhere" }}>
                          {reader.name}
                          <Text size="xs" c="dimmed">
                            {reader.email}
                          </Text>
                        </Table.Td>
                        <Table.Td>{format.dateTime(reader.readAt)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} data-autofocus>
                {t("announcements.close")}
              </Button>
            </Group>
          </Stack>
        )}
      </PageState>
    </Modal>
  );
}
