import { Anchor, Text } from "@mantine/core";
import { Link } from "react-router";
import { type Notification, useMarkRead } from "../../api/notifications";

/** Only paths inside the app are followed (the server sends paths such as /courses/:id). */
export function inAppPath(actionUrl: string | null): string | null {
  return actionUrl?.startsWith("/") && !actionUrl.startsWith("//") ? actionUrl : null;
}

/**
 * A notification's title: a link to its `actionUrl` when it has one; opening it marks the
 * notification read and clicked (the mutation outlives the page it leaves).
 */
export function NotificationTitle({
  notification,
  userId,
  onOpen,
}: {
  notification: Notification;
  userId: string;
  onOpen?: () => void;
}) {
  const markRead = useMarkRead(userId);
  const unread = !notification.readAt;
  const path = inAppPath(notification.actionUrl);
  if (!path) {
    return (
      <Text size="sm" fw={unread ? 700 : 500}>
        {notification.title}
      </Text>
    );
  }
  return (
    <Anchor
      component={Link}
      to={path}
      size="sm"
      fw={unread ? 700 : 500}
      onClick={() => {
        markRead.mutate({ id: notification.id, clicked: true });
        onOpen?.();
      }}
    >
      {notification.title}
    </Anchor>
  );
}
