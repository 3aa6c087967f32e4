import {
  Alert,
  Button,
  Code,
  Group,
  List,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import {
  useConfirmMfa,
  useDisableMfa,
  useMfaStatus,
  useRegenerateRecoveryCodes,
  useStartMfa,
} from "../../api/security";
import { useSecurityKeys } from "../../api/webauthn";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { AccountNav } from "./AccountNav";
import { SecurityKeysSection } from "./SecurityKeysSection";

/** Recovery codes to show once, with what brought them (a key added) when it says so. */
interface ShownCodes {
  codes: string[];
  notice?: string;
}

/**
 * /account/two-step: turn two-step sign-in on (authenticator secret, confirmed with a code),
 * see the recovery codes once, replace them, or turn the app off; add and remove security
 * keys. The recovery codes belong to two-step sign-in, whichever factors it has: they come with
 * the first one (the app or a key), and an account with keys alone replaces them here too.
 * Organizations that require it send their members here (MFA_ENROLLMENT_REQUIRED).
 */
export function TwoStepPage() {
  const { t } = useTranslation("security");
  usePageTitle(t("twoStep.title"));
  const status = useMfaStatus();
  const [shown, setShown] = useState<ShownCodes | null>(null);
  const [params] = useSearchParams();
  const keys = useSecurityKeys();
  // A security key satisfies an organization's requirement as the app does.
  const required = params.get("required") === "1" && !status.data?.enabled && !keys.data?.length;
  // Adding a factor to an account that has codes answers none: nothing to show then.
  const showCodes = (codes: string[], notice?: string) => {
    if (codes.length) setShown({ codes, notice });
  };
  return (
    <Stack gap="lg" maw={720}>
      <Title order={1}>{t("twoStep.title")}</Title>
      <AccountNav />
      {required && (
        <Alert color="yellow" variant="light" data-testid="mfa-required">
          <Text fw={700} size="sm">
            {t("required.title")}
          </Text>
          <Text size="sm">{t("required.body")}</Text>
        </Alert>
      )}
      <Text>{t("twoStep.intro")}</Text>
      {shown ? (
        <RecoveryCodes codes={shown.codes} notice={shown.notice} onDone={() => setShown(null)} />
      ) : (
        <PageState query={status}>
          {(data) => {
            const withApp = data.methods.includes("totp");
            return (
              <Stack gap="lg">
                {data.enabled && (
                  <Enabled
                    since={data.enabledAt}
                    remaining={data.recoveryCodesRemaining}
                    withApp={withApp}
                    onCodes={showCodes}
                  />
                )}
                {!withApp && <Enroll another={data.enabled} onCodes={showCodes} />}
              </Stack>
            );
          }}
        </PageState>
      )}
      {!shown && (
        <SecurityKeysSection
          onRecoveryCodes={(codes, name) => showCodes(codes, t("keys.addedWithCodes", { name }))}
        />
      )}
    </Stack>
  );
}

/**
 * Setting up the authenticator app; `another` when two-step sign-in is already on with a
 * security key, so the app is one more way to sign in.
 */
function Enroll({ another, onCodes }: { another: boolean; onCodes: (codes: string[]) => void }) {
  const { t } = useTranslation("security");
  const start = useStartMfa();
  const confirm = useConfirmMfa();
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [codeInvalid, setCodeInvalid] = useState(false);
  if (!start.data) {
    return (
      <Stack gap="sm" component="section" aria-labelledby="enroll-title">
        <Title order={2} size="h3" id="enroll-title">
          {another ? t("twoStep.appTitle") : t("twoStep.offTitle")}
        </Title>
        <Text>{t("twoStep.passwordFirst")}</Text>
        {start.error && <ApiErrorAlert error={start.error} title={t("twoStep.offTitle")} />}
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (password) start.mutate(password);
          }}
        >
          <Stack gap="sm">
            <PasswordInput
              label={t("twoStep.password")}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={start.isPending} w="fit-content">
              {t("twoStep.start")}
            </Button>
          </Stack>
        </form>
      </Stack>
    );
  }
  const { secret, otpauthUri } = start.data;
  return (
    <Stack gap="sm" component="section" aria-labelledby="scan-title">
      <Title order={2} size="h3" id="scan-title">
        {t("twoStep.scanTitle")}
      </Title>
      <List type="ordered" spacing="xs">
        <List.Item>{t("twoStep.stepApp")}</List.Item>
        <List.Item>
          <Stack gap={4}>
            <Text>{t("twoStep.stepSecret")}</Text>
            <Code data-testid="mfa-secret" style={{ wordBreak: "break-all" }}>
              {secret.replace(/(.{4})/g, "$1 ").trim()}
            </Code>
            <Text size="sm">
              <a href={otpauthUri}>{t("twoStep.openInApp")}</a>
            </Text>
          </Stack>
        </List.Item>
        <List.Item>{t("twoStep.stepCode")}</List.Item>
      </List>
      {confirm.error && <ApiErrorAlert error={confirm.error} title={t("twoStep.scanTitle")} />}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const clean = code.replace(/\s/g, "");
          const ok = /^\d{6}$/.test(clean);
          setCodeInvalid(!ok);
          // Not mutate's own onSuccess: the refetch after confirming shows the page's "on"
          // state, which unmounts this form before such a callback would run; the codes
          // belong to the page. An error shows through confirm.error.
          if (ok) {
            confirm
              .mutateAsync(clean)
              .then((data) => onCodes(data.recoveryCodes))
              .catch(() => undefined);
          }
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t("twoStep.code")}
            autoComplete="one-time-code"
            inputMode="numeric"
            required
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            error={codeInvalid ? t("signIn.codeInvalid") : null}
          />
          <Button type="submit" loading={confirm.isPending} w="fit-content">
            {t("twoStep.confirm")}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}

/**
 * Two-step sign-in is on: since when, the recovery codes left and replacing them; turning the
 * app off when it is `withApp` (with keys alone, removing the last key turns it off).
 */
function Enabled({
  since,
  remaining,
  withApp,
  onCodes,
}: {
  since: string | null;
  remaining: number;
  withApp: boolean;
  onCodes: (codes: string[]) => void;
}) {
  const { t } = useTranslation("security");
  const format = useFormat();
  const regenerate = useRegenerateRecoveryCodes();
  const disable = useDisableMfa();
  const [password, setPassword] = useState("");
  const error = regenerate.error ?? disable.error;
  return (
    <Stack gap="sm" component="section" aria-labelledby="on-title">
      <Title order={2} size="h3" id="on-title">
        {t("twoStep.onTitle")}
      </Title>
      <Text data-testid="mfa-on">
        {since ? t("twoStep.onSince", { date: format.date(since) }) : t("twoStep.onTitle")}
      </Text>
      {withApp || remaining > 0 ? (
        <Text>{t("twoStep.remaining", { count: remaining })}</Text>
      ) : (
        <Text>{t("codes.none")}</Text>
      )}
      {!withApp && <Text size="sm">{t("codes.keysOnly")}</Text>}
      {error && <ApiErrorAlert error={error} title={t("twoStep.onTitle")} />}
      <PasswordInput
        label={t("twoStep.password")}
        description={withApp ? t("twoStep.passwordToChange") : t("twoStep.passwordToReplace")}
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
      />
      <Group gap="sm">
        <Button
          variant="default"
          disabled={!password}
          loading={regenerate.isPending}
          onClick={() =>
            regenerate.mutate({ password }, { onSuccess: (data) => onCodes(data.recoveryCodes) })
          }
        >
          {withApp
            ? t("twoStep.regenerate")
            : remaining > 0
              ? t("codes.replace")
              : t("codes.create")}
        </Button>
        {withApp && (
          <Button
            color="red"
            variant="outline"
            disabled={!password}
            loading={disable.isPending}
            onClick={() => disable.mutate({ password }, { onSuccess: () => setPassword("") })}
          >
            {t("twoStep.disable")}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

/** The recovery codes, shown this once, to copy or download. */
function RecoveryCodes({
  codes,
  notice,
  onDone,
}: {
  codes: string[];
  notice?: string;
  onDone: () => void;
}) {
  const { t } = useTranslation("security");
  const [copied, setCopied] = useState(false);
  const text = codes.join("\n");
  const download = () => {
    const url = URL.createObjectURL(new Blob([`${text}\n`], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "lyceum-recovery-codes.txt";
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Stack gap="sm" component="section" aria-labelledby="codes-title">
      <Title order={2} size="h3" id="codes-title">
        {t("codes.title")}
      </Title>
      {notice && (
        <Alert color="green" variant="light" role="status">
          {notice}
        </Alert>
      )}
      <Alert color="yellow" variant="light">
        <Text fw={700} size="sm">
          {t("codes.once")}
        </Text>
      </Alert>
      <Code block data-testid="recovery-codes">
        {text}
      </Code>
      <Group gap="sm">
        <Button
          variant="default"
          onClick={() => navigator.clipboard?.writeText(text).then(() => setCopied(true))}
        >
          {copied ? t("codes.copied") : t("codes.copy")}
        </Button>
        <Button variant="default" onClick={download}>
          {t("codes.download")}
        </Button>
        <Button onClick={onDone}>{t("codes.done")}</Button>
      </Group>
    </Stack>
  );
}
