import { Anchor, Badge, Group, Paper, Stack, Text } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Notification } from "../../api/learner";
import { useFormat } from "../../i18n/format";
import { QueryListSection } from "./Section";

/** A notification's title, linked to what it is about (its in-app path) when it has one. */
function NotificationTitle({ notification }: { notification: Notification }) {
  const target = notification.actionUrl;
  if (!target) return <Text fw={600}>{notification.title}</Text>;
  if (target.startsWith("/"))
    return (
      <Anchor component={Link} to={target} fw={600}>
        {notification.title}
      </Anchor>
    );
  return (
    <Anchor href={target} fw={600}>
      {notification.title}
    </Anchor>
  );
}

/** The latest notifications (GET /notifications, first page), unread ones marked. */
export function NotificationsSection({
  query,
}: {
  query: UseQueryResult<{ items: Notification[] }>;
}) {
  const { t } = useTranslation("learner");
  const format = useFormat();
  const items = query.data?.items ?? [];
  return (
    <QueryListSection
      id="my-learning-notifications"
      title={t("myLearning.notifications.title")}
      query={query}
      count={items.length}
      empty={{
        title: t("myLearning.notifications.emptyTitle"),
        reason: t("myLearning.notifications.emptyBody"),
      }}
      listLabel={t("myLearning.notifications.listLabel")}
    >
      {items.map((n) => (
        <Paper key={n.id} withBorder radius="md" p="sm" component="li">
          <Stack gap={2}>
            <Group gap="xs" wrap="nowrap" align="flex-start" justify="space-between">
              <NotificationTitle notification={n} />
              {!n.readAt && (
                <Badge color="indigo.9" variant="filled" size="sm" style={{ flexShrink: 0 }}>
                  {t("myLearning.notifications.unread")}
                </Badge>
              )}
            </Group>
            {n.body && (
              <Text size="sm" lineClamp={2}>
                {n.body}
              </Text>
            )}
            <Text size="xs" c="dimmed">
              {format.dateTime(n.createdAt)}
            </Text>
          </Stack>
        </Paper>
      ))}
    </QueryListSection>
  );
}
