import {
  Alert,
  Anchor,
  Button,
  Fieldset,
  Group,
  NumberInput,
  PasswordInput,
  Radio,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, isNotFound } from "../../api/errors";
import {
  AUTH_TYPES,
  DIRECTIONS,
  type Integration,
  type IntegrationInput,
  LMS_TYPES,
  type MappingPreviewInput,
  METHODS,
  useCreateIntegration,
  useDeleteIntegration,
  useIntegration,
  useSaveIntegration,
} from "../../api/integrations";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { IntegrationsFrame } from "./IntegrationsFrame";
import { MappingPreview } from "./MappingPreview";
import {
  type AuthType,
  asJson,
  CREDENTIAL_FIELDS,
  type CredentialMode,
  credentialsToSend,
  parseObject,
  parseRuleList,
  placeFieldError,
  RULE_LISTS,
  type RuleList,
} from "./rules";

/** `/integrations/new?org=…`: connects a system to the chosen organization. */
export function NewIntegrationPage() {
  const { t } = useTranslation("integrations");
  return (
    <IntegrationsFrame title={t("form.newTitle")}>
      {(orgId) => <IntegrationForm orgId={orgId} integration={null} />}
    </IntegrationsFrame>
  );
}

/** `/integrations/:integrationId/edit`: changes or removes an integration. */
export function EditIntegrationPage() {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const { integrationId = "" } = useParams();
  const integration = useIntegration(me.user.id, integrationId);
  const title = integration.data
    ? t("form.editTitle", { name: integration.data.name })
    : t("form.newTitle");
  usePageTitle(title);
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>
        {integration.isError && isNotFound(integration.error, "integrationId")
          ? t("list.title")
          : title}
      </Title>
      {integration.isError && isNotFound(integration.error, "integrationId") ? (
        <Text>{t("form.notFound")}</Text>
      ) : (
        <PageState query={integration} pending={<Skeleton height={400} radius="md" />}>
          {(data) => (
            <>
              <Anchor component={Link} to={`/integrations/${data.id}`} w="fit-content">
                {t("form.back")}
              </Anchor>
              <IntegrationForm orgId={data.organizationId} integration={data} />
            </>
          )}
        </PageState>
      )}
    </Stack>
  );
}

type Errors = Record<string, ReactNode>;

function IntegrationForm({
  orgId,
  integration,
}: {
  orgId: string;
  integration: Integration | null;
}) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const create = useCreateIntegration(me.user.id, orgId);
  const save = useSaveIntegration(me.user.id, orgId, integration?.id ?? "");
  const remove = useDeleteIntegration(me.user.id, orgId, integration?.id ?? "");
  const mutation = integration ? save : create;
  const busy = mutation.isPending;

  const [name, setName] = useState(integration?.name ?? "");
  const [code, setCode] = useState(integration?.code ?? "");
  const [lmsType, setLmsType] = useState<Integration["lmsType"]>(
    integration?.lmsType ?? LMS_TYPES.find((v) => v === search.get("type")) ?? "moodle",
  );
  const [method, setMethod] = useState<Integration["method"]>(integration?.method ?? "api");
  const [authType, setAuthType] = useState<AuthType>(integration?.authType ?? "api-token");
  const [baseUrl, setBaseUrl] = useState(integration?.baseUrl ?? "");
  const [direction, setDirection] = useState<Integration["direction"]>(
    integration?.direction ?? "import",
  );
  const [isActive, setIsActive] = useState(integration?.isActive ?? true);
  const [frequency, setFrequency] = useState<Integration["syncFrequency"]>(
    integration?.syncFrequency ?? "on-demand",
  );
  const [syncCron, setSyncCron] = useState(integration?.syncCron ?? "");
  const [timeout, setTimeoutSeconds] = useState<number | string>(integration?.timeoutSeconds ?? 30);
  const [retries, setRetries] = useState<number | string>(integration?.maxRetries ?? 3);
  const [rateLimit, setRateLimit] = useState<number | string>(
    integration?.rateLimitPerHour ?? 1000,
  );
  const [options, setOptions] = useState(
    integration && Object.keys(integration.options).length ? asJson(integration.options) : "",
  );
  const [rules, setRules] = useState<Record<RuleList, string>>({
    fieldMappings: integration?.fieldMappings.length ? asJson(integration.fieldMappings) : "",
    transformationRules: integration?.transformationRules.length
      ? asJson(integration.transformationRules)
      : "",
    validationRules: integration?.validationRules.length ? asJson(integration.validationRules) : "",
  });
  const stored = integration?.credentials ?? null;
  const [credMode, setCredMode] = useState<CredentialMode>(stored ? "keep" : "replace");
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Errors>({});
  const [confirmDelete, setConfirmDelete] = useState(false);

  const authChanged = integration !== null && authType !== integration.authType;
  const mode: CredentialMode = authChanged && credMode === "keep" ? "replace" : credMode;

  const submit = () => {
    const found: Errors = {};
    const parsedRules = {} as Record<RuleList, unknown[]>;
    for (const list of RULE_LISTS) {
      const parsed = parseRuleList(rules[list]);
      if (parsed.ok) parsedRules[list] = parsed.value;
      else found[list] = t(`form.${parsed.error}`);
    }
    const parsedOptions = parseObject(options);
    if (!parsedOptions.ok) found.options = t(`form.${parsedOptions.error}`);
    setErrors(found);
    if (Object.keys(found).length) return;
    const input = {
      name: name.trim(),
      code: code.trim(),
      lmsType,
      method,
      authType,
      ...credentialsToSend(authType, mode, secrets),
      baseUrl: baseUrl.trim() || null,
      direction,
      isActive,
      syncFrequency: frequency,
      syncCron: frequency === "cron" ? syncCron.trim() || null : null,
      timeoutSeconds: Number(timeout),
      maxRetries: Number(retries),
      rateLimitPerHour: Number(rateLimit),
      options: parsedOptions.ok ? parsedOptions.value : {},
      ...(parsedRules as Pick<IntegrationInput, RuleList>),
      // PUT returns what it is not sent to its default: keep what this form does not show.
      ...(integration
        ? {
            apiVersion: integration.apiVersion,
            dataFormat: integration.dataFormat,
            encoding: integration.encoding,
            ownerIds: integration.ownerIds,
          }
        : {}),
    } as IntegrationInput;
    mutation.mutate(input, {
      onSuccess: (saved) => navigate(`/integrations/${saved.id}`),
      onError: (error) => {
        const placed = error instanceof ApiError ? placeFieldError(error.field) : null;
        if (!placed) return;
        const message = errorMessage(t, error);
        setErrors({
          [placed.input]: placed.rule
            ? t("form.ruleError", { index: placed.rule.index, path: placed.rule.path, message })
            : message,
        });
      },
    });
  };

  const serverError = mutation.error;
  const fieldPlaced =
    serverError instanceof ApiError && placeFieldError(serverError.field) !== null;
  const ruleValues = () => {
    const out: Partial<Record<RuleList, unknown[]>> = {};
    for (const list of RULE_LISTS) {
      const parsed = parseRuleList(rules[list]);
      if (parsed.ok) out[list] = parsed.value;
    }
    // The server checks the rules and names the bad one.
    return out as Omit<MappingPreviewInput, "record">;
  };

  return (
    <Stack gap="md">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Fieldset disabled={busy} variant="unstyled">
          <Stack gap="lg">
            {serverError && !fieldPlaced && <ApiErrorAlert error={serverError} />}
            <Stack gap="sm" component="section" aria-labelledby="general-heading">
              <Title order={2} size="h3" id="general-heading">
                {t("form.general")}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t("form.name")}
                  required
                  maxLength={200}
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  error={errors.name}
                />
                <TextInput
                  label={t("form.code")}
                  description={t("form.codeHint")}
                  required
                  maxLength={50}
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                  error={errors.code}
                />
                <Select
                  label={t("form.type")}
                  data={LMS_TYPES.map((v) => ({ value: v, label: t(`type.${v}`) }))}
                  value={lmsType}
                  allowDeselect={false}
                  onChange={(v) => v && setLmsType(v as Integration["lmsType"])}
                  error={errors.lmsType}
                />
                <Select
                  label={t("form.method")}
                  data={METHODS.map((v) => ({ value: v, label: t(`method.${v}`) }))}
                  value={method}
                  allowDeselect={false}
                  onChange={(v) => v && setMethod(v as Integration["method"])}
                  error={errors.method}
                />
                <TextInput
                  label={t("form.baseUrl")}
                  description={t("form.baseUrlHint")}
                  type="url"
                  maxLength={500}
                  value={baseUrl}
                  onChange={(e) => setBaseUrl(e.currentTarget.value)}
                  error={errors.baseUrl}
                />
                <Select
                  label={t("form.direction")}
                  data={DIRECTIONS.map((v) => ({ value: v, label: t(`direction.${v}`) }))}
                  value={direction}
                  allowDeselect={false}
                  onChange={(v) => v && setDirection(v as Integration["direction"])}
                  error={errors.direction}
                />
              </SimpleGrid>
              <Switch
                label={t("form.active")}
                checked={isActive}
                onChange={(e) => setIsActive(e.currentTarget.checked)}
              />
            </Stack>

            <Stack gap="sm" component="section" aria-labelledby="auth-heading">
              <Title order={2} size="h3" id="auth-heading">
                {t("form.connectionHeading")}
              </Title>
              <Select
                label={t("form.authType")}
                data={AUTH_TYPES.map((v) => ({ value: v, label: t(`auth.${v}`) }))}
                value={authType}
                allowDeselect={false}
                onChange={(v) => v && setAuthType(v as AuthType)}
                error={errors.authType}
                maw={360}
              />
              {stored && !authChanged && (
                <Stack gap={4}>
                  {Object.entries(stored).map(([field, value]) => (
                    <Text size="sm" key={field}>
                      {value === "set"
                        ? t("form.secretSet", {
                            field: t(`form.${field}`, { defaultValue: field }),
                          })
                        : `${t(`form.${field}`, { defaultValue: field })}: ${value}`}
                    </Text>
                  ))}
                  <Radio.Group
                    label={t("form.connectionHeading")}
                    value={credMode}
                    onChange={(v) => setCredMode(v as CredentialMode)}
                  >
                    <Stack gap={6} mt={4}>
                      <Radio value="keep" label={t("form.keep")} />
                      <Radio value="replace" label={t("form.replace")} />
                      <Radio value="erase" label={t("form.erase")} />
                    </Stack>
                  </Radio.Group>
                  {credMode === "erase" && (
                    <Text size="sm" c="red.9">
                      {t("form.erased")}
                    </Text>
                  )}
                </Stack>
              )}
              {mode === "replace" && (
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                  {CREDENTIAL_FIELDS[authType].map((field) => {
                    const Input = field.secret ? PasswordInput : TextInput;
                    return (
                      <Input
                        key={field.name}
                        label={t(`form.${field.name}`)}
                        required={!field.optional}
                        autoComplete="off"
                        value={secrets[field.name] ?? ""}
                        onChange={(e) => {
                          const value = e.currentTarget.value;
                          setSecrets((s) => ({ ...s, [field.name]: value }));
                        }}
                        error={errors[`credentials.${field.name}`]}
                      />
                    );
                  })}
                </SimpleGrid>
              )}
              {errors.credentials && (
                <Text size="sm" c="red.9" role="alert">
                  {errors.credentials}
                </Text>
              )}
            </Stack>

            <Stack gap="sm" component="section" aria-labelledby="schedule-heading">
              <Title order={2} size="h3" id="schedule-heading">
                {t("form.scheduleHeading")}
              </Title>
              <Radio.Group
                label={t("form.frequency")}
                value={frequency}
                onChange={(v) => setFrequency(v as Integration["syncFrequency"])}
              >
                <Group gap="lg" mt={4}>
                  <Radio value="on-demand" label={t("form.onDemand")} />
                  <Radio value="cron" label={t("form.cron")} />
                </Group>
              </Radio.Group>
              {frequency === "cron" && (
                <TextInput
                  label={t("form.syncCron")}
                  description={t("form.syncCronHint", {
                    timezone: integration?.timezone ?? "—",
                  })}
                  required
                  maxLength={100}
                  value={syncCron}
                  onChange={(e) => setSyncCron(e.currentTarget.value)}
                  error={errors.syncCron}
                  maw={360}
                />
              )}
              {integration?.nextSyncAt && (
                <Text size="sm">
                  {t("form.nextSync", { date: format.dateTime(integration.nextSyncAt) })}
                </Text>
              )}
              <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
                <NumberInput
                  label={t("form.timeout")}
                  min={1}
                  max={600}
                  value={timeout}
                  onChange={setTimeoutSeconds}
                  error={errors.timeoutSeconds}
                />
                <NumberInput
                  label={t("form.retries")}
                  min={0}
                  max={10}
                  value={retries}
                  onChange={setRetries}
                  error={errors.maxRetries}
                />
                <NumberInput
                  label={t("form.rateLimit")}
                  min={1}
                  max={1_000_000}
                  value={rateLimit}
                  onChange={setRateLimit}
                  error={errors.rateLimitPerHour}
                />
              </SimpleGrid>
              <Textarea
                label={t("form.options")}
                description={t("form.optionsHint")}
                autosize
                minRows={2}
                ff="monospace"
                value={options}
                onChange={(e) => setOptions(e.currentTarget.value)}
                error={errors.options}
              />
            </Stack>

            <Stack gap="sm" component="section" aria-labelledby="rules-heading">
              <Title order={2} size="h3" id="rules-heading">
                {t("form.rulesHeading")}
              </Title>
              <Text size="sm" c="dimmed">
                {t("form.rulesIntro")}
              </Text>
              {RULE_LISTS.map((list) => (
                <Textarea
                  key={list}
                  label={t(`form.${list}`)}
                  autosize
                  minRows={3}
                  maxRows={16}
                  ff="monospace"
                  spellCheck={false}
                  placeholder="[]"
                  value={rules[list]}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setRules((r) => ({ ...r, [list]: value }));
                  }}
                  error={errors[list]}
                />
              ))}
            </Stack>
            <Group gap="sm">
              <Button type="submit" loading={busy}>
                {integration ? t("form.save") : t("form.create")}
              </Button>
              {integration && (
                <Button variant="default" color="red.9" onClick={() => setConfirmDelete(true)}>
                  {t("form.delete")}
                </Button>
              )}
            </Group>
          </Stack>
        </Fieldset>
      </form>
      {integration ? (
        <MappingPreview integrationId={integration.id} rules={ruleValues} />
      ) : (
        <Alert color="gray" variant="light">
          {t("preview.saveFirst")}
        </Alert>
      )}
      {confirmDelete && integration && (
        <ConfirmDialog
          title={t("form.deleteTitle", { name: integration.name })}
          text={t("form.deleteText")}
          confirm={t("form.deleteConfirm")}
          busy={remove.isPending}
          onClose={() => setConfirmDelete(false)}
          onConfirm={() =>
            remove.mutate(undefined, {
              onSuccess: () => navigate(`/integrations?org=${orgId}`),
              onError: () => setConfirmDelete(false),
            })
          }
        />
      )}
      {remove.error && <ApiErrorAlert error={remove.error} />}
    </Stack>
  );
}
