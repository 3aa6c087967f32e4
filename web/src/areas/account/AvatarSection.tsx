import {
  Alert,
  Avatar,
  Button,
  FileButton,
  Group,
  Progress,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useRemoveAvatar, useUploadAvatar } from "../../api/account";
import type { Me } from "../../api/session";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

const MAX_BYTES = 5 * 1024 * 1024;
const TYPES = ["image/jpeg", "image/png", "image/webp"];

/** The profile photo: upload with a progress bar (XMLHttpRequest), shown when saved; remove. */
export function AvatarSection({ user }: { user: Me["user"] }) {
  const { t } = useTranslation("account");
  const [percent, setPercent] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<"uploaded" | "removed" | null>(null);
  const upload = useUploadAvatar(setPercent);
  const remove = useRemoveAvatar();
  const name = user.displayName ?? user.fullName;
  const busy = upload.isPending || remove.isPending;

  const choose = (file: File | null) => {
    setDone(null);
    setProblem(null);
    upload.reset();
    remove.reset();
    if (!file) return;
    // The server checks again; this spares a 5 MB upload that would be refused.
    if (!TYPES.includes(file.type)) return setProblem(t("avatar.wrongType"));
    if (file.size > MAX_BYTES) return setProblem(t("avatar.tooLarge"));
    setPercent(0);
    upload.mutate(file, { onSuccess: () => setDone("uploaded") });
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="avatar-title">
      <Title order={2} size="h3" id="avatar-title">
        {t("avatar.title")}
      </Title>
      <Group gap="md" align="center" wrap="wrap">
        <Avatar
          src={user.avatarUrl}
          size={96}
          radius={96}
          color="indigo"
          alt={user.avatarUrl ? t("avatar.alt", { name }) : undefined}
          data-testid="profile-avatar"
        >
          {`${user.firstName.charAt(0)}${user.lastName.charAt(0)}`.toUpperCase()}
        </Avatar>
        <Stack gap="xs">
          {!user.avatarUrl && <Text size="sm">{t("avatar.none")}</Text>}
          <Group gap="xs" wrap="wrap">
            <FileButton onChange={choose} accept={TYPES.join(",")} disabled={busy}>
              {(props) => (
                <Button {...props} variant="light" loading={upload.isPending}>
                  {user.avatarUrl ? t("avatar.replace") : t("avatar.choose")}
                </Button>
              )}
            </FileButton>
            {user.avatarUrl && (
              <Button
                variant="subtle"
                color="red"
                disabled={busy}
                onClick={() => {
                  setDone(null);
                  upload.reset();
                  remove.mutate(undefined, { onSuccess: () => setDone("removed") });
                }}
              >
                {t("avatar.remove")}
              </Button>
            )}
          </Group>
        </Stack>
      </Group>
      <Text size="sm" c="dimmed">
        {t("avatar.hint")}
      </Text>
      {upload.isPending && (
        <Progress
          value={percent}
          aria-label={t("avatar.progress", { percent })}
          size="lg"
          animated={percent >= 100}
        />
      )}
      {problem && (
        <Alert color="red" role="alert">
          {problem}
        </Alert>
      )}
      {upload.error && <ApiErrorAlert error={upload.error} title={t("avatar.title")} />}
      {remove.error && <ApiErrorAlert error={remove.error} title={t("avatar.title")} />}
      {done && (
        <Alert color="teal" role="status">
          {done === "uploaded" ? t("avatar.uploaded") : t("avatar.removed")}
        </Alert>
      )}
    </Stack>
  );
}
