import { Alert, Anchor, Blockquote, Button, Group, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../../api/errors";
import {
  type InviteLookup,
  useAcceptInvite,
  useAcceptInviteAsNew,
  useDeclineInvite,
  useInviteLookup,
  useOptionalMe,
} from "../../api/invites";
import { useSignOut } from "../../api/session";
import { signInPath } from "../../app/returnTo";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { Loading } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { DeclineDialog } from "./DeclineDialog";
import { NewAccountForm } from "./NewAccountForm";

/** A link that cannot be used: missing, unknown, expired, accepted, declined or withdrawn. */
function Unusable({ message }: { message: string }) {
  const { t } = useTranslation("invites");
  return (
    <>
      <Alert color="red" role="alert">
        {message}
      </Alert>
      <Anchor component={Link} to="/">
        {t("status.home")}
      </Anchor>
    </>
  );
}

/** Who invited whom to what, for which role, with their message and the expiry. */
function InviteDetails({ invite }: { invite: InviteLookup }) {
  const { t } = useTranslation("invites");
  const format = useFormat();
  const organization = invite.organization.name;
  return (
    <Stack gap="xs">
      <Text>
        {invite.invitedBy
          ? t("accept.invitedBy", {
              inviter: invite.invitedBy.name,
              email: invite.email,
              organization,
            })
          : t("accept.invitedBySystem", { email: invite.email, organization })}
      </Text>
      <Text size="sm">
        {t("accept.role", { role: t(`roles.${invite.roleKey}`, { defaultValue: invite.roleKey }) })}
      </Text>
      {invite.message && (
        <Blockquote p="sm" cite={t("accept.message")} style={{ overflowWrap: "anywhere" }}>
          {invite.message}
        </Blockquote>
      )}
      <Text size="sm" c="dimmed">
        {t("accept.expires", { date: format.dateTime(invite.expiresAt) })}
      </Text>
    </Stack>
  );
}

/**
 * /invites/accept?token=… (mailed by src/modules/organizations/invites.ts). Looks the link up,
 * says who invited whom, and asks for consent: the invited address's account accepts
 * (POST /invites/accept, signed in, verified); an address without an account creates one and
 * joins (POST /invites/accept-new). Another signed-in address is told to sign out first; an
 * address with an account is sent to sign in and brought back here. Whoever holds the link
 * for the invited address may decline, after confirming (POST /invites/decline): the
 * organization sees the answer and the link stops working.
 */
export function InviteAcceptPage() {
  const { t } = useTranslation("invites");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const lookup = useInviteLookup(token);
  const me = useOptionalMe();
  const accept = useAcceptInvite(token);
  const acceptNew = useAcceptInviteAsNew(token);
  const decline = useDeclineInvite(token);
  const signOut = useSignOut();
  const navigate = useNavigate();
  const [confirmingDecline, setConfirmingDecline] = useState(false);
  const invite = lookup.data;
  const organization = invite?.organization.name ?? "";
  const title = invite ? t("accept.joinTitle", { organization }) : t("accept.title");
  usePageTitle(title);

  const body = () => {
    if (!token) return <Unusable message={t("status.missingToken")} />;
    if (lookup.isPending || (me.isLoading && !me.data))
      return <Loading label={t("accept.pending")} />;
    if (lookup.isError) {
      // 404 is an unknown (or replaced) token, 400 a malformed one: both are a bad link.
      const bad = lookup.error instanceof ApiError && [400, 404].includes(lookup.error.status);
      return bad ? (
        <Unusable message={t("status.notFound")} />
      ) : (
        <ApiErrorAlert error={lookup.error} onRetry={() => void lookup.refetch()} />
      );
    }
    const found = lookup.data;
    // The outcome of this visit comes first: the lookup says "accepted" afterwards.
    if (accept.isSuccess || acceptNew.isSuccess) {
      return (
        <>
          <Alert color="teal" role="status">
            {acceptNew.data
              ? t("accept.created", { organization, email: found.email })
              : t("accept.joined", { organization })}
          </Alert>
          {acceptNew.data ? (
            <Button component={Link} to={signInPath("/")} w="fit-content">
              {t("accept.signInNow")}
            </Button>
          ) : (
            <Button component={Link} to="/" w="fit-content">
              {t("accept.goHome")}
            </Button>
          )}
        </>
      );
    }
    // Declined here or earlier: the person's own answer, not an error.
    if (decline.isSuccess || found.status === "declined") {
      return (
        <>
          <Alert color="gray" role="status">
            {t("decline.done", { organization })}
          </Alert>
          <Button component={Link} to="/" w="fit-content">
            {t("status.home")}
          </Button>
        </>
      );
    }
    if (found.status !== "pending") {
      return <Unusable message={t(`status.${found.status}`, { organization })} />;
    }
    const declineButton = (
      <Button
        variant="default"
        onClick={() => setConfirmingDecline(true)}
        disabled={accept.isPending || acceptNew.isPending}
      >
        {t("accept.decline")}
      </Button>
    );
    const consent = <Text fw={500}>{t("accept.consent", { organization })}</Text>;
    const signedIn = me.data?.user;
    if (signedIn && signedIn.email !== found.email) {
      return (
        <>
          <InviteDetails invite={found} />
          <Alert color="yellow" role="alert">
            {t("accept.mismatch", { email: found.email, current: signedIn.email })}
          </Alert>
          <Button
            w="fit-content"
            loading={signOut.isPending}
            onClick={() => signOut.mutate(undefined, { onSettled: () => navigate(0) })}
          >
            {t("accept.signOut")}
          </Button>
        </>
      );
    }
    if (signedIn) {
      return (
        <>
          <InviteDetails invite={found} />
          {consent}
          {accept.error && <ApiErrorAlert error={accept.error} title={title} />}
          <Group gap="sm" wrap="wrap">
            <Button onClick={() => accept.mutate()} loading={accept.isPending}>
              {t("accept.accept")}
            </Button>
            {declineButton}
          </Group>
        </>
      );
    }
    if (found.hasAccount) {
      return (
        <>
          <InviteDetails invite={found} />
          <Text>{t("accept.hasAccount", { email: found.email })}</Text>
          <Group gap="sm" wrap="wrap">
            <Button
              component={Link}
              to={signInPath(`/invites/accept?token=${encodeURIComponent(token)}`)}
            >
              {t("accept.signIn")}
            </Button>
            {declineButton}
          </Group>
        </>
      );
    }
    return (
      <>
        <InviteDetails invite={found} />
        <Text>{t("accept.newAccountIntro")}</Text>
        {consent}
        <NewAccountForm
          email={found.email}
          accept={acceptNew}
          onDecline={() => setConfirmingDecline(true)}
        />
      </>
    );
  };

  return (
    <Stack gap="md" maw={560}>
      <Title order={1}>{title}</Title>
      {body()}
      {invite?.status === "pending" && (
        <DeclineDialog
          opened={confirmingDecline && !decline.isSuccess}
          onClose={() => setConfirmingDecline(false)}
          organization={organization}
          decline={decline}
        />
      )}
    </Stack>
  );
}
