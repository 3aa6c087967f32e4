import {
  Anchor,
  Button,
  Fieldset,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { z } from "zod";
import { ApiError } from "../../api/errors";
import { useSignIn } from "../../api/session";
import { safeReturnTo } from "../../app/returnTo";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { usePageTitle } from "../../ui/usePageTitle";
import { SignInCodeStep, type SignInMethod } from "./SignInCodeStep";

export function SignInPage() {
  const { t } = useTranslation("auth");
  usePageTitle(t("signIn.title"));
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get("returnTo"));
  const navigate = useNavigate();
  const signIn = useSignIn();
  const schema = useMemo(
    () =>
      z.object({
        email: z.email(t("validation.email")),
        password: z.string().min(1, t("validation.required")),
      }),
    [t],
  );
  const form = useForm({
    initialValues: { email: "", password: "" },
    validate: schemaResolver(schema, { sync: true }),
  });
  const [challenge, setChallenge] = useState<{ token: string; methods: SignInMethod[] } | null>(
    null,
  );
  const unverified = signIn.error instanceof ApiError && signIn.error.code === "EMAIL_NOT_VERIFIED";
  if (challenge) {
    return (
      <SignInCodeStep
        challengeToken={challenge.token}
        methods={challenge.methods}
        onDone={() => navigate(returnTo, { replace: true })}
        onRestart={() => {
          setChallenge(null);
          signIn.reset();
        }}
      />
    );
  }
  return (
    <Stack gap="md">
      <Title order={1}>{t("signIn.title")}</Title>
      {signIn.error && <ApiErrorAlert error={signIn.error} title={t("signIn.title")} />}
      {unverified && (
        <Anchor
          component={Link}
          to={`/check-email?email=${encodeURIComponent(form.getValues().email)}`}
        >
          {t("signIn.resend")}
        </Anchor>
      )}
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          signIn.mutate(values, {
            onSuccess: (data) => {
              // Accounts with two-step sign-in answer a challenge first, no session yet.
              if ("challengeToken" in data)
                setChallenge({ token: data.challengeToken, methods: data.methods });
              else navigate(returnTo, { replace: true });
            },
          }),
        )}
      >
        <Fieldset variant="unstyled" disabled={signIn.isPending}>
          <Stack gap="sm">
            <TextInput
              label={t("fields.email")}
              type="email"
              autoComplete="email"
              required
              {...form.getInputProps("email")}
            />
            <PasswordInput
              label={t("fields.password")}
              autoComplete="current-password"
              required
              {...form.getInputProps("password")}
            />
            <Button type="submit" loading={signIn.isPending}>
              {t("signIn.submit")}
            </Button>
          </Stack>
        </Fieldset>
      </form>
      <Anchor component={Link} to="/forgot-password">
        {t("signIn.forgot")}
      </Anchor>
      <Text>
        {t("signIn.noAccount")}{" "}
        <Anchor component={Link} to="/sign-up">
          {t("signIn.signUp")}
        </Anchor>
      </Text>
    </Stack>
  );
}
