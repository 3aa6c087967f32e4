import { Anchor, Button, Fieldset, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { useCompleteSignIn } from "../../api/security";
import { useSignInWithKey } from "../../api/webauthn";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { KeyErrorAlert } from "../../ui/KeyErrorAlert";

export type SignInMethod = "totp" | "recovery-code" | "webauthn";

/**
 * The second step of signing in for accounts with two-step sign-in: a 6-digit code from the
 * authenticator app, one of the recovery codes (when the account has unused ones), or a
 * security key (when the account has one; the key first when it has no app, with the recovery
 * codes as the way out when the key is lost). `onRestart` goes back to the password step (the
 * challenge expired or took too many wrong answers).
 */
export function SignInCodeStep({
  challengeToken,
  methods,
  onDone,
  onRestart,
}: {
  challengeToken: string;
  methods: SignInMethod[];
  onDone: () => void;
  onRestart: () => void;
}) {
  const withApp = methods.includes("totp");
  const withRecovery = methods.includes("recovery-code");
  const [recoveryInstead, setRecoveryInstead] = useState(false);
  if (!withApp && !recoveryInstead) {
    return (
      <KeyOnlyStep
        challengeToken={challengeToken}
        onRecovery={withRecovery ? () => setRecoveryInstead(true) : undefined}
        onDone={onDone}
        onRestart={onRestart}
      />
    );
  }
  return (
    <CodeStep
      challengeToken={challengeToken}
      withApp={withApp}
      withRecovery={withRecovery}
      withKey={methods.includes("webauthn")}
      onKeyInstead={() => setRecoveryInstead(false)}
      onDone={onDone}
      onRestart={onRestart}
    />
  );
}

function isExpired(error: unknown): boolean {
  return error instanceof ApiError && error.code === "MFA_CHALLENGE_INVALID";
}

/** The security key's button, with the error of its last try. */
function KeyButton({
  challengeToken,
  onDone,
  onError,
  variant,
}: {
  challengeToken: string;
  onDone: () => void;
  onError: (error: unknown) => void;
  variant: "filled" | "default";
}) {
  const { t } = useTranslation("security");
  const withKey = useSignInWithKey();
  return (
    <Stack gap="sm">
      {withKey.error && <KeyErrorAlert error={withKey.error} title={t("signIn.useKey")} />}
      <Button
        variant={variant}
        w="fit-content"
        loading={withKey.isPending}
        onClick={() =>
          withKey.mutate(challengeToken, {
            onSuccess: onDone,
            onError,
          })
        }
      >
        {t("signIn.useKey")}
      </Button>
    </Stack>
  );
}

function KeyOnlyStep({
  challengeToken,
  onRecovery,
  onDone,
  onRestart,
}: {
  challengeToken: string;
  /** Switches to a recovery code; absent when the account has none left. */
  onRecovery?: () => void;
  onDone: () => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation("security");
  const [error, setError] = useState<unknown>(null);
  return (
    <Stack gap="md">
      <Title order={1}>{t("signIn.title")}</Title>
      <Text>{t("signIn.keyOnlyHelp")}</Text>
      <KeyButton
        challengeToken={challengeToken}
        onDone={onDone}
        onError={setError}
        variant="filled"
      />
      {isExpired(error) ? (
        <Button variant="default" onClick={onRestart} w="fit-content">
          {t("signIn.restart")}
        </Button>
      ) : (
        onRecovery && (
          <Anchor component="button" type="button" onClick={onRecovery}>
            {t("signIn.useRecovery")}
          </Anchor>
        )
      )}
    </Stack>
  );
}

/**
 * A code from the app or a recovery code. Without the app (`withApp` false) it is the
 * recovery code alone, and its link leads back to the key (`onKeyInstead`).
 */
function CodeStep({
  challengeToken,
  withApp,
  withRecovery,
  withKey,
  onKeyInstead,
  onDone,
  onRestart,
}: {
  challengeToken: string;
  withApp: boolean;
  withRecovery: boolean;
  withKey: boolean;
  onKeyInstead: () => void;
  onDone: () => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation("security");
  const complete = useCompleteSignIn();
  const [keyError, setKeyError] = useState<unknown>(null);
  const [recoveryChosen, setRecovery] = useState(false);
  const recovery = recoveryChosen || !withApp;
  const [value, setValue] = useState("");
  const [invalid, setInvalid] = useState(false);
  const expired = isExpired(complete.error) || isExpired(keyError);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const clean = value.trim();
    const ok = recovery ? clean.length >= 10 : /^\d{6}$/.test(clean);
    setInvalid(!ok);
    if (!ok) return;
    complete.mutate(
      recovery ? { challengeToken, recoveryCode: clean } : { challengeToken, code: clean },
      { onSuccess: onDone },
    );
  };
  return (
    <Stack gap="md">
      <Title order={1}>{t("signIn.title")}</Title>
      <Text>{recovery ? t("signIn.recoveryHelp") : t("signIn.codeHelp")}</Text>
      {complete.error && <ApiErrorAlert error={complete.error} title={t("signIn.title")} />}
      {isExpired(keyError) && <ApiErrorAlert error={keyError} title={t("signIn.useKey")} />}
      {expired ? (
        <Button onClick={onRestart} w="fit-content">
          {t("signIn.restart")}
        </Button>
      ) : (
        <form noValidate onSubmit={submit}>
          <Fieldset variant="unstyled" disabled={complete.isPending}>
            <Stack gap="sm">
              <TextInput
                key={recovery ? "recovery" : "code"}
                label={recovery ? t("signIn.recoveryLabel") : t("signIn.codeLabel")}
                autoComplete="one-time-code"
                inputMode={recovery ? "text" : "numeric"}
                required
                value={value}
                onChange={(e) => setValue(e.currentTarget.value)}
                error={
                  invalid
                    ? recovery
                      ? t("signIn.recoveryInvalid")
                      : t("signIn.codeInvalid")
                    : null
                }
                autoFocus
              />
              <Button type="submit" loading={complete.isPending} w="fit-content">
                {t("signIn.submit")}
              </Button>
            </Stack>
          </Fieldset>
        </form>
      )}
      {!withApp
        ? withKey &&
          !expired && (
            <Anchor component="button" type="button" onClick={onKeyInstead}>
              {t("signIn.useKeyInstead")}
            </Anchor>
          )
        : (recovery || withRecovery) && (
            <Anchor
              component="button"
              type="button"
              onClick={() => {
                setRecovery(!recovery);
                setValue("");
                setInvalid(false);
              }}
            >
              {recovery ? t("signIn.useCode") : t("signIn.useRecovery")}
            </Anchor>
          )}
      {withApp && withKey && !expired && (
        <Stack gap="xs">
          <Text>{t("signIn.keyHelp")}</Text>
          <KeyButton
            challengeToken={challengeToken}
            onDone={onDone}
            onError={setKeyError}
            variant="default"
          />
        </Stack>
      )}
    </Stack>
  );
}
