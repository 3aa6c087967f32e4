// The account area: the signed-in person's profile, sessions and notification preferences.
export { NotificationPreferencesPage } from "./NotificationPreferencesPage";
export { PrivacyPage } from "./PrivacyPage";
export { ProfilePage } from "./ProfilePage";
export { SessionsPage } from "./SessionsPage";
export { TwoStepPage } from "./TwoStepPage";
