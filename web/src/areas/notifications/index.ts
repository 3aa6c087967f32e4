// The notifications area: the page listing them (the header's bell is in NotificationBell).
export { NotificationsPage } from "./NotificationsPage";
