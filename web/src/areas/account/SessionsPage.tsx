import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type Session,
  useRevokeOtherSessions,
  useRevokeSession,
  useSessions,
} from "../../api/account";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { AccountNav } from "./AccountNav";

function SessionCard({
  session,
  onRevoke,
  revoking,
}: {
  session: Session;
  onRevoke: () => void;
  revoking: boolean;
}) {
  const { t } = useTranslation("account");
  const format = useFormat();
  const device = session.deviceName ?? session.browser ?? session.os ?? t("sessions.unknownDevice");
  const lastActive = format.dateTime(session.lastAccessedAt);
  return (
    <Paper component="li" withBorder p="md" radius="md" data-current={session.current}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4}>
          <Group gap="xs" wrap="wrap">
            <Text fw={600}>{device}</Text>
            {session.current && (
              <Badge color="teal.9" variant="filled">
                {t("sessions.thisDevice")}
              </Badge>
            )}
            {session.transport === "bearer" && (
              <Badge color="gray.7" variant="filled">
                {t("sessions.app")}
              </Badge>
            )}
          </Group>
          <Text size="sm">
            {session.ipAddress ? t("sessions.ip", { ip: session.ipAddress }) : t("sessions.noIp")}
          </Text>
          <Text size="sm">{t("sessions.lastActive", { date: lastActive })}</Text>
          <Text size="sm" c="dimmed">
            {t("sessions.signedIn", { date: format.dateTime(session.createdAt) })}
          </Text>
        </Stack>
        {!session.current && (
          <Button
            variant="light"
            color="red"
            onClick={onRevoke}
            loading={revoking}
            aria-label={t("sessions.revokeLabel", { device, date: lastActive })}
          >
            {t("sessions.revoke")}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

/** /account/sessions: GET /auth/sessions; sign out one other session, or all of them. */
export function SessionsPage() {
  const { t } = useTranslation("account");
  usePageTitle(t("sessions.title"));
  const me = useSignedInMe();
  const sessions = useSessions(me.user.id);
  const revoke = useRevokeSession(me.user.id);
  const revokeOthers = useRevokeOtherSessions(me.user.id);
  const [message, setMessage] = useState<string | null>(null);
  const error = revoke.error ?? revokeOthers.error;
  return (
    <Stack gap="lg" maw={720}>
      <Title order={1}>{t("sessions.title")}</Title>
      <AccountNav />
      <Text>{t("sessions.intro")}</Text>
      {error && <ApiErrorAlert error={error} title={t("sessions.title")} />}
      {message && (
        <Alert color="teal" role="status">
          {message}
        </Alert>
      )}
      <PageState
        query={sessions}
        pending={
          <Stack gap="sm">
            <Skeleton h={110} radius="md" />
            <Skeleton h={110} radius="md" />
          </Stack>
        }
      >
        {(list) => {
          const others = list.filter((s) => !s.current).length;
          return (
            <Stack gap="md">
              <Stack
                component="ul"
                gap="sm"
                aria-label={t("sessions.listLabel")}
                style={{ listStyle: "none", padding: 0, margin: 0 }}
              >
                {list.map((session) => (
                  <SessionCard
                    key={session.id}
                    session={session}
                    revoking={revoke.isPending && revoke.variables === session.id}
                    onRevoke={() => {
                      setMessage(null);
                      revokeOthers.reset();
                      revoke.mutate(session.id, {
                        onSuccess: () => setMessage(t("sessions.revoked")),
                      });
                    }}
                  />
                ))}
              </Stack>
              {others > 0 ? (
                <Button
                  color="red"
                  variant="outline"
                  w="fit-content"
                  loading={revokeOthers.isPending}
                  onClick={() => {
                    setMessage(null);
                    revoke.reset();
                    revokeOthers.mutate(undefined, {
                      onSuccess: ({ revoked }) =>
                        setMessage(t("sessions.revokedOthers", { count: revoked })),
                    });
                  }}
                >
                  {t("sessions.revokeOthers")}
                </Button>
              ) : (
                <Text c="dimmed">{t("sessions.onlyThis")}</Text>
              )}
            </Stack>
          );
        }}
      </PageState>
    </Stack>
  );
}
