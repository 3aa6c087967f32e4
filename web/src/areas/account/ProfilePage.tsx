import { Divider, Stack, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSignedInMe } from "../../app/RequireAuth";
import { usePageTitle } from "../../ui/usePageTitle";
import { AccountNav } from "./AccountNav";
import { AvatarSection } from "./AvatarSection";
import { EmailSection } from "./EmailSection";
import { PasswordSection } from "./PasswordSection";
import { ProfileForm } from "./ProfileForm";

/**
 * /account/profile: photo, details, email address and password. The profile is the cached
 * GET /users/me the shell already loaded; each section saves on its own.
 */
export function ProfilePage() {
  // The auth namespace brings the password rules' texts.
  const { t } = useTranslation(["account", "auth"]);
  usePageTitle(t("profile.title"));
  const { user } = useSignedInMe();
  return (
    <Stack gap="lg" maw={720}>
      <Title order={1}>{t("profile.title")}</Title>
      <AccountNav />
      <AvatarSection user={user} />
      <Divider />
      <ProfileForm user={user} />
      <Divider />
      <EmailSection user={user} />
      <Divider />
      <PasswordSection user={user} />
    </Stack>
  );
}
