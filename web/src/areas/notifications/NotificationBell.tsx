import { ActionIcon, Anchor, Badge, Divider, Indicator, Popover, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useNotifications, useUnreadCount } from "../../api/notifications";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { NotificationTitle } from "./NotificationTitle";

/** How many notifications the bell's popover shows. */
const LATEST = 5;

function BellIcon() {
  return (
    <svg
      aria-hidden="true"
      width="22"
      height="22"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

/** The latest few notifications, loaded when the popover opens. */
function Latest({ userId, onOpen }: { userId: string; onOpen: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const latest = useNotifications(userId, 1, LATEST);
  return (
    <PageState
      query={latest}
      isEmpty={(data) => data.items.length === 0}
      empty={<Text size="sm">{t("bell.empty")}</Text>}
    >
      {({ items }) => (
        <Stack
          component="ul"
          gap="sm"
          aria-label={t("bell.latest")}
          style={{ listStyle: "none", padding: 0, margin: 0 }}
        >
          {items.map((n) => (
            <Stack component="li" key={n.id} gap={2}>
              <NotificationTitle notification={n} userId={userId} onOpen={onOpen} />
              <Text size="xs" c="dimmed">
                {!n.readAt && (
                  <Badge component="span" size="xs" variant="light" mr={6}>
                    {t("bell.unread")}
                  </Badge>
                )}
                {format.dateTime(n.createdAt)}
              </Text>
            </Stack>
          ))}
        </Stack>
      )}
    </PageState>
  );
}

/**
 * The header's bell: the unread count (polled, and refetched when the window regains focus)
 * in its accessible name, and a popover with the latest notifications and a link to them all.
 */
export function NotificationBell({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const unread = useUnreadCount(userId);
  const count = unread.data ?? 0;
  const label = count > 0 ? t("bell.labelUnread", { count }) : t("bell.label");
  return (
    <Popover
      opened={opened}
      onChange={(o) => !o && close()}
      position="bottom-end"
      width={320}
      withinPortal
      trapFocus
      returnFocus
      shadow="md"
    >
      <Indicator
        // The count is in the button's name already; the badge is for the eye.
        label={<span aria-hidden="true">{count > 99 ? "99+" : count}</span>}
        disabled={count === 0}
        size={18}
        offset={4}
        color="red"
      >
        <Popover.Target>
          <ActionIcon variant="subtle" size="lg" onClick={toggle} aria-label={label}>
            <BellIcon />
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown aria-label={t("bell.title")}>
        <Stack gap="sm">
          <Text fw={600}>{t("bell.title")}</Text>
          {unread.error && <ApiErrorAlert error={unread.error} />}
          {opened && <Latest userId={userId} onOpen={close} />}
          <Divider />
          <Anchor component={Link} to="/notifications" size="sm" onClick={close}>
            {t("bell.all")}
          </Anchor>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
