import type en from "../en/notifications";

const notifications: typeof en = {
  list: {
    title: "Benachrichtigungen",
    listLabel: "Ihre Benachrichtigungen",
    markAllRead: "Alle als gelesen markieren",
    markedAll_one: "{{count}} Benachrichtigung als gelesen markiert.",
    markedAll_other: "{{count}} Benachrichtigungen als gelesen markiert.",
    markRead: "Als gelesen markieren",
    markReadLabel: "Als gelesen markieren: {{title}}",
    unread: "Ungelesen",
    emptyTitle: "Noch keine Benachrichtigungen",
    emptyBody:
      "Wenn etwas Ihre Aufmerksamkeit braucht, etwa ein bewertetes Quiz oder ein neues Zertifikat, erscheint es hier.",
    preferences: "Benachrichtigungseinstellungen",
    pagination: "Seiten der Benachrichtigungen",
    count_one: "{{count}} Benachrichtigung",
    count_other: "{{count}} Benachrichtigungen",
  },
};

export default notifications;
