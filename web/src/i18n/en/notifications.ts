// The notifications page (the bell's texts are in common, loaded with the shell).
const notifications = {
  list: {
    title: "Notifications",
    // Screen-reader name of the list.
    listLabel: "Your notifications",
    markAllRead: "Mark all read",
    markedAll_one: "{{count}} notification marked read.",
    markedAll_other: "{{count}} notifications marked read.",
    markRead: "Mark read",
    // Screen-reader name of one notification's mark-read button.
    markReadLabel: "Mark read: {{title}}",
    unread: "Unread",
    emptyTitle: "No notifications yet",
    emptyBody:
      "When something needs your attention, such as a graded quiz or a new certificate, it appears here.",
    preferences: "Notification preferences",
    pagination: "Pages of notifications",
    count_one: "{{count}} notification",
    count_other: "{{count}} notifications",
  },
};

export default notifications;
