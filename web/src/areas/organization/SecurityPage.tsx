import {
  Alert,
  Button,
  Checkbox,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type SecuritySettings,
  useSaveSecuritySettings,
  useSecuritySettings,
} from "../../api/security";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { OrganizationFrame } from "./OrganizationFrame";

/**
 * The organization's security settings (`/organization/security?org=…`): two-step sign-in
 * required, the idle session timeout, the IP allow-list for people and the password policy.
 */
export function SecurityPage() {
  const { t } = useTranslation("security");
  return (
    <OrganizationFrame title={t("org.title")} permission="organizations:update">
      {(orgId) => <Security orgId={orgId} />}
    </OrganizationFrame>
  );
}

function Security({ orgId }: { orgId: string }) {
  const me = useSignedInMe();
  const settings = useSecuritySettings(me.user.id, orgId);
  return (
    <PageState query={settings}>
      {(data) => <SecurityForm orgId={orgId} userId={me.user.id} settings={data} />}
    </PageState>
  );
}

const toNumber = (value: string | number, fallback: number) =>
  typeof value === "number" ? value : Number.parseInt(value, 10) || fallback;

function SecurityForm({
  orgId,
  userId,
  settings,
}: {
  orgId: string;
  userId: string;
  settings: SecuritySettings;
}) {
  const { t } = useTranslation("security");
  const save = useSaveSecuritySettings(userId, orgId);
  const [mfaRequired, setMfaRequired] = useState(settings.mfaRequired);
  const [timeout, setTimeoutMinutes] = useState<string | number>(
    settings.sessionTimeoutMinutes ?? "",
  );
  const [allowList, setAllowList] = useState(settings.ipAllowList.join("\n"));
  const [policy, setPolicy] = useState(settings.passwordPolicy);
  const [maxAge, setMaxAge] = useState<string | number>(settings.passwordPolicy.maxAgeDays ?? "");
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    save.mutate({
      mfaRequired,
      sessionTimeoutMinutes: timeout === "" ? null : toNumber(timeout, 30),
      ipAllowList: allowList
        .split(/[\s,]+/)
        .map((rule) => rule.trim())
        .filter(Boolean),
      passwordPolicy: { ...policy, maxAgeDays: maxAge === "" ? null : toNumber(maxAge, 90) },
    });
  };
  const policyNumber =
    (key: "minLength" | "minDigits" | "minSpecial" | "historyCount") => (value: string | number) =>
      setPolicy({ ...policy, [key]: toNumber(value, policy[key]) });
  return (
    <form noValidate onSubmit={submit}>
      <Stack gap="lg" mt="md" maw={720}>
        {save.error && <ApiErrorAlert error={save.error} title={t("org.title")} />}
        {save.isSuccess && (
          <Alert color="teal" variant="light" role="status">
            <Text fw={700} size="sm">
              {t("org.saved")}
            </Text>
          </Alert>
        )}
        <Stack gap="xs" component="section" aria-labelledby="mfa-title">
          <Title order={2} size="h3" id="mfa-title">
            {t("org.mfaTitle")}
          </Title>
          <Checkbox
            label={t("org.mfaRequired")}
            description={t("org.mfaRequiredHelp")}
            checked={mfaRequired}
            onChange={(e) => setMfaRequired(e.currentTarget.checked)}
          />
        </Stack>
        <Stack gap="xs" component="section" aria-labelledby="session-title">
          <Title order={2} size="h3" id="session-title">
            {t("org.sessionTitle")}
          </Title>
          <NumberInput
            label={t("org.timeout")}
            description={t("org.timeoutHelp")}
            min={5}
            max={43200}
            value={timeout}
            onChange={setTimeoutMinutes}
            maw={280}
          />
        </Stack>
        <Stack gap="xs" component="section" aria-labelledby="ip-title">
          <Title order={2} size="h3" id="ip-title">
            {t("org.ipTitle")}
          </Title>
          <Textarea
            label={t("org.ipAllowList")}
            description={t("org.ipHelp")}
            autosize
            minRows={3}
            value={allowList}
            onChange={(e) => setAllowList(e.currentTarget.value)}
            styles={{ input: { fontFamily: "monospace" } }}
          />
        </Stack>
        <Stack gap="xs" component="section" aria-labelledby="password-policy-title">
          <Title order={2} size="h3" id="password-policy-title">
            {t("org.passwordTitle")}
          </Title>
          <Text size="sm">{t("org.passwordHelp")}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label={t("org.minLength")}
              min={8}
              max={128}
              value={policy.minLength}
              onChange={policyNumber("minLength")}
            />
            <NumberInput
              label={t("org.minDigits")}
              min={1}
              max={20}
              value={policy.minDigits}
              onChange={policyNumber("minDigits")}
            />
            <NumberInput
              label={t("org.minSpecial")}
              min={1}
              max={20}
              value={policy.minSpecial}
              onChange={policyNumber("minSpecial")}
            />
            <NumberInput
              label={t("org.historyCount")}
              min={0}
              max={24}
              value={policy.historyCount}
              onChange={policyNumber("historyCount")}
            />
            <NumberInput
              label={t("org.maxAgeDays")}
              description={t("org.maxAgeHelp")}
              min={1}
              max={3650}
              value={maxAge}
              onChange={setMaxAge}
            />
          </SimpleGrid>
        </Stack>
        <Button type="submit" loading={save.isPending} w="fit-content">
          {t("org.save")}
        </Button>
      </Stack>
    </form>
  );
}
