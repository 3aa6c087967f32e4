import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Pagination,
  Paper,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import {
  type Notification,
  useMarkAllRead,
  useMarkRead,
  useNotifications,
  useUnreadCount,
} from "../../api/notifications";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { NotificationTitle } from "./NotificationTitle";

const PAGE_SIZE = 20;

function NotificationItem({
  notification,
  userId,
}: {
  notification: Notification;
  userId: string;
}) {
  const { t } = useTranslation("notifications");
  const format = useFormat();
  const markRead = useMarkRead(userId);
  const unread = !notification.readAt;
  return (
    <Paper
      component="li"
      withBorder
      p="md"
      radius="md"
      // Unread ones carry a bar in the primary colour besides their badge and bold title.
      style={unread ? { borderLeft: "4px solid var(--mantine-primary-color-filled)" } : undefined}
      data-unread={unread}
    >
      <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
        <Stack gap={4} style={{ flex: "1 1 240px", minWidth: 0 }}>
          <Group gap="xs" wrap="wrap">
            {unread && (
              <Badge size="sm" variant="filled">
                {t("list.unread")}
              </Badge>
            )}
            <NotificationTitle notification={notification} userId={userId} />
          </Group>
          {notification.body && (
            <Text size="sm" style={{ overflowWrap: "anywhere" }}>
              {notification.body}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {format.dateTime(notification.createdAt)}
          </Text>
          {markRead.error && <ApiErrorAlert error={markRead.error} />}
        </Stack>
        {unread && (
          <Button
            size="xs"
            variant="default"
            loading={markRead.isPending}
            onClick={() => markRead.mutate({ id: notification.id })}
            aria-label={t("list.markReadLabel", { title: notification.title })}
          >
            {t("list.markRead")}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

/** /notifications: GET /notifications a page at a time (`?page=`), mark one or all read. */
export function NotificationsPage() {
  const { t } = useTranslation("notifications");
  usePageTitle(t("list.title"));
  const me = useSignedInMe();
  const userId = me.user.id;
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const list = useNotifications(userId, page, PAGE_SIZE);
  const unread = useUnreadCount(userId);
  const markAll = useMarkAllRead(userId);
  return (
    <Stack gap="lg" maw={760}>
      <Group justify="space-between" align="center" wrap="wrap" gap="sm">
        <Title order={1}>{t("list.title")}</Title>
        <Group gap="sm" wrap="wrap">
          <Anchor component={Link} to="/account/notifications" size="sm">
            {t("list.preferences")}
          </Anchor>
          <Button
            variant="light"
            onClick={() => markAll.mutate()}
            loading={markAll.isPending}
            disabled={(unread.data ?? 0) === 0}
          >
            {t("list.markAllRead")}
          </Button>
        </Group>
      </Group>
      {markAll.error && <ApiErrorAlert error={markAll.error} />}
      {markAll.isSuccess && (
        <Alert color="teal" role="status">
          {t("list.markedAll", { count: markAll.data.marked })}
        </Alert>
      )}
      <PageState
        query={list}
        pending={
          <Stack gap="sm">
            <Skeleton h={90} radius="md" />
            <Skeleton h={90} radius="md" />
            <Skeleton h={90} radius="md" />
          </Stack>
        }
        isEmpty={(data) => data.items.length === 0 && page === 1}
        empty={<EmptyState title={t("list.emptyTitle")} reason={t("list.emptyBody")} />}
      >
        {(data) => {
          const pagination = data.meta?.pagination;
          return (
            <Stack gap="md" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
              {pagination && (
                <Text size="sm" c="dimmed">
                  {t("list.count", { count: pagination.total })}
                </Text>
              )}
              <Stack
                component="ul"
                gap="sm"
                aria-label={t("list.listLabel")}
                style={{ listStyle: "none", padding: 0, margin: 0 }}
              >
                {data.items.map((n) => (
                  <NotificationItem key={n.id} notification={n} userId={userId} />
                ))}
              </Stack>
              {pagination && pagination.totalPages > 1 && (
                <Group justify="center" component="nav" aria-label={t("list.pagination")}>
                  <Pagination
                    total={pagination.totalPages}
                    value={pagination.page}
                    onChange={(next) => setParams(next === 1 ? {} : { page: String(next) })}
                  />
                </Group>
              )}
            </Stack>
          );
        }}
      </PageState>
    </Stack>
  );
}
