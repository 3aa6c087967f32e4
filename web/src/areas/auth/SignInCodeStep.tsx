import { Anchor, Button, Fieldset, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCompleteSignIn } from "../../api/security";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

/**
 * The second step of signing in for accounts with two-step sign-in: a 6-digit code from the
 * authenticator app, or one of the recovery codes. `onRestart` goes back to the password step
 * (the challenge expired or took too many wrong codes).
 */
export function SignInCodeStep({
  challengeToken,
  onDone,
  onRestart,
}: {
  challengeToken: string;
  onDone: () => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation("security");
  const complete = useCompleteSignIn();
  const [recovery, setRecovery] = useState(false);
  const [value, setValue] = useState("");
  const [invalid, setInvalid] = useState(false);
  const expired =
    complete.error && "code" in complete.error && complete.error.code === "MFA_CHALLENGE_INVALID";
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
    </Stack>
  );
}
