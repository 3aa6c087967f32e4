import { Button, Group, Table } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useInviteAction, usePendingInvites } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ListSection } from "../../ui/ListSection";
import { useRoleNames } from "./roles";

/**
 * The invitations waiting for an answer, each with its role and expiry; whoever may manage
 * invitations sends one again (a new link, a fresh expiry) or revokes it. What the last
 * action did is announced under the heading.
 */
export function InvitesSection({ orgId, manage }: { orgId: string; manage: boolean }) {
  const { t } = useTranslation("people");
  const format = useFormat();
  const me = useSignedInMe();
  const invites = usePendingInvites(me.user.id, orgId);
  const action = useInviteAction(me.user.id, orgId);
  const { nameOf } = useRoleNames(orgId);
  const [done, setDone] = useState<string | null>(null);
  const run = (inviteId: string, email: string, kind: "revoke" | "resend") => {
    setDone(null);
    action.mutate(
      { inviteId, action: kind },
      {
        onSuccess: () =>
          setDone(
            kind === "revoke" ? t("invites.revoked", { email }) : t("invites.resent", { email }),
          ),
      },
    );
  };
  return (
    <ListSection
      id="invites-heading"
      title={t("invites.heading")}
      done={done}
      error={action.error}
      query={invites}
      empty={{ title: t("invites.emptyTitle"), reason: t("invites.emptyReason") }}
    >
      {(data) => (
        <Table.ScrollContainer minWidth={0}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("invites.email")}</Table.Th>
                <Table.Th visibleFrom="sm">{t("invites.role")}</Table.Th>
                <Table.Th visibleFrom="sm">{t("invites.expires")}</Table.Th>
                {manage && <Table.Th>{t("invites.actions")}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((invite) => (
                <Table.Tr key={invite.id}>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{invite.email}</Table.Td>
                  <Table.Td visibleFrom="sm">{nameOf(invite.roleKey)}</Table.Td>
                  <Table.Td visibleFrom="sm">{format.date(invite.expiresAt)}</Table.Td>
                  {manage && (
                    <Table.Td>
                      <Group
                        gap="xs"
                        role="group"
                        aria-label={t("invites.actionsFor", { email: invite.email })}
                      >
                        <Button
                          size="xs"
                          variant="default"
                          disabled={action.isPending}
                          onClick={() => run(invite.id, invite.email, "resend")}
                        >
                          {t("invites.resend")}
                        </Button>
                        <Button
                          size="xs"
                          color="red.9"
                          variant="outline"
                          disabled={action.isPending}
                          onClick={() => run(invite.id, invite.email, "revoke")}
                        >
                          {t("invites.revoke")}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </ListSection>
  );
}
