import {
  Badge,
  Button,
  Code,
  Fieldset,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import {
  type EffectiveTemplate,
  type NotificationTypeInfo,
  TEMPLATE_CHANNELS,
  TEMPLATE_LANGUAGES,
  type TemplateChannel,
  type TemplateScope,
  useEffectiveTemplates,
  useNotificationTypes,
  useTemplateChange,
  useTemplatePreview,
  useTemplateVersions,
} from "../../api/notificationTemplates";
import { useSignedInMe } from "../../app/RequireAuth";
import { errorMessage } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { TemplatePreviewPanel } from "./TemplatePreviewPanel";
import { VersionList } from "./VersionList";
import { builtinOf, startingTexts, type TemplateLine, versionsOf } from "./versions";

const NS = "notificationTemplates";

/**
 * The templates of an organization (its overrides) or of the system: pick a type, channel
 * and language; see its variables, the built-in text and the text in use; write a new version
 * with a live preview; follow the versions through approval.
 */
export function TemplatesEditor({ scope }: { scope: TemplateScope }) {
  const { t } = useTranslation(NS);
  const types = useNotificationTypes();
  return (
    <PageState
      query={types}
      pending={<Skeleton h={320} radius="md" />}
      isEmpty={(data) => data.length === 0}
      empty={<Text>{t("editor.noTypes")}</Text>}
    >
      {(data) => <Editor scope={scope} types={data} />}
    </PageState>
  );
}

function Editor({ scope, types }: { scope: TemplateScope; types: NotificationTypeInfo[] }) {
  const { t } = useTranslation(NS);
  const me = useSignedInMe();
  const [line, setLine] = useState<TemplateLine>({
    type: types[0]?.type ?? "",
    channel: "email",
    language: "en",
  });
  const versions = useTemplateVersions(me.user.id, scope);
  // The draft being edited in place, if any (of the line shown); else a new version is written.
  const [editingId, setEditingId] = useState<string | null>(null);
  const orgId = "orgId" in scope ? scope.orgId : null;
  const effective = useEffectiveTemplates(me.user.id, orgId ?? "", line.language);
  const info = types.find((x) => x.type === line.type);
  const typeName = (type: string) =>
    t(`types.${type}`, { defaultValue: types.find((x) => x.type === type)?.description ?? type });
  const inUse = orgId
    ? (effective.data?.find((e) => e.type === line.type && e.channel === line.channel) ?? null)
    : null;
  const builtin = builtinOf(types, line);
  const lineVersions = versionsOf(versions.data ?? [], line);

  return (
    <Stack gap="lg">
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="line-heading">
        <Stack gap="sm">
          <Title order={2} size="h3" id="line-heading">
            {t("editor.chooseTitle")}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect
              label={t("editor.type")}
              value={line.type}
              data={types.map((x) => ({ value: x.type, label: typeName(x.type) }))}
              onChange={(e) => {
                const type = e.currentTarget.value;
                setEditingId(null);
                setLine((l) => ({ ...l, type }));
              }}
            />
            <NativeSelect
              label={t("editor.channel")}
              value={line.channel}
              data={TEMPLATE_CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))}
              onChange={(e) => {
                const channel = e.currentTarget.value as TemplateChannel;
                setEditingId(null);
                setLine((l) => ({ ...l, channel }));
              }}
            />
            <NativeSelect
              label={t("editor.language")}
              value={line.language}
              data={TEMPLATE_LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }))}
              onChange={(e) => {
                const language = e.currentTarget.value;
                setEditingId(null);
                setLine((l) => ({ ...l, language }));
              }}
            />
          </SimpleGrid>
          {info && <Variables info={info} />}
        </Stack>
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TextCard
          headingId="builtin-heading"
          title={t("editor.builtinTitle")}
          hint={t("editor.builtinHint")}
          texts={builtin}
          empty={t("editor.noBuiltin")}
        />
        {orgId ? (
          <PageState query={effective} pending={<Skeleton h={140} radius="md" />}>
            {() => <InUseCard inUse={inUse} />}
          </PageState>
        ) : (
          <TextCard
            headingId="live-heading"
            title={t("editor.liveTitle")}
            hint={t("editor.liveSystemHint")}
            texts={lineVersions.find((v) => v.status === "active") ?? builtin}
            empty={t("editor.noBuiltin")}
          />
        )}
      </SimpleGrid>

      <PageState query={versions} pending={<Skeleton h={220} radius="md" />}>
        {(all) => {
          const draft = versionsOf(all, line).find(
            (v) => v.id === editingId && v.status === "draft",
          );
          return (
            <>
              <VersionForm
                // a fresh form (and its starting texts) for each line and each draft edited
                key={`${line.type} ${line.channel} ${line.language} ${draft?.id ?? "new"}`}
                scope={scope}
                line={line}
                draft={draft ? { id: draft.id, version: draft.version } : null}
                start={
                  draft
                    ? { subject: draft.subject, body: draft.body }
                    : startingTexts(versionsOf(all, line), inUse, builtin)
                }
                onDone={() => setEditingId(null)}
              />
              <VersionList
                versions={versionsOf(all, line)}
                userId={me.user.id}
                systemScope={!orgId}
                editingId={draft?.id ?? null}
                onEdit={(id) => setEditingId(id)}
              />
            </>
          );
        }}
      </PageState>
    </Stack>
  );
}

function Variables({ info }: { info: NotificationTypeInfo }) {
  const { t } = useTranslation(NS);
  return (
    <Stack gap={4}>
      <Text size="sm" c="dimmed">
        {info.description}
      </Text>
      <Text size="sm" fw={600} id="variables-heading">
        {t("editor.variables")}
      </Text>
      <Stack
        component="ul"
        gap={2}
        aria-labelledby="variables-heading"
        style={{ listStyle: "none", padding: 0, margin: 0 }}
      >
        {info.variables.map((v) => (
          <Text component="li" size="sm" key={v.name} style={{ overflowWrap: "anywhere" }}>
            <Code>{`{{${v.name}}}`}</Code> {v.description}
          </Text>
        ))}
      </Stack>
      <Text size="xs" c="dimmed">
        {t("editor.syntaxHint", {
          insert: "{{name}}",
          condition: "{{#if name}}…{{else}}…{{/if}}",
        })}
      </Text>
    </Stack>
  );
}

function TextCard({
  headingId,
  title,
  hint,
  texts,
  empty,
  badge,
}: {
  headingId: string;
  title: string;
  hint: string;
  texts: { subject: string; body: string } | null;
  empty: string;
  badge?: React.ReactNode;
}) {
  const { t } = useTranslation(NS);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Group gap="xs" wrap="wrap">
          <Title order={2} size="h4" id={headingId}>
            {title}
          </Title>
          {badge}
        </Group>
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
        {texts ? (
          <>
            <Text size="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
              {t("editor.subject")}: {texts.subject || t("editor.noSubject")}
            </Text>
            <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
              {texts.body}
            </Text>
          </>
        ) : (
          <Text size="sm">{empty}</Text>
        )}
      </Stack>
    </Paper>
  );
}

const SOURCE_COLOR: Record<EffectiveTemplate["source"], string> = {
  organization: "blue.9",
  system: "grape.9",
  "built-in": "gray.8",
};

function InUseCard({ inUse }: { inUse: EffectiveTemplate | null }) {
  const { t } = useTranslation(NS);
  return (
    <TextCard
      headingId="in-use-heading"
      title={t("editor.inUseTitle")}
      hint={
        inUse
          ? t("editor.inUseHint", {
              language: t(`languages.${inUse.language}`, { defaultValue: inUse.language }),
              version: inUse.version,
            })
          : ""
      }
      texts={inUse}
      empty={t("editor.noBuiltin")}
      badge={
        inUse && (
          <Badge color={SOURCE_COLOR[inUse.source]} variant="filled">
            {t(`sources.${inUse.source}`)}
          </Badge>
        )
      }
    />
  );
}

/** The field an API error names, when it is one of the form's. */
function fieldError(error: unknown, field: "subject" | "body", t: (k: string) => string) {
  return error instanceof ApiError && error.field === field
    ? errorMessage(t as never, error)
    : undefined;
}

/**
 * Writes a new version of the line, or, with `draft`, changes that draft's texts in place
 * (prefilled with them); either way with the server's live preview.
 */
function VersionForm({
  scope,
  line,
  draft,
  start,
  onDone,
}: {
  scope: TemplateScope;
  line: TemplateLine;
  draft: { id: string; version: number } | null;
  start: { subject: string; body: string };
  /** Leaves editing the draft (after submitting it, or on cancel). */
  onDone: () => void;
}) {
  const { t } = useTranslation(NS);
  const me = useSignedInMe();
  const [texts, setTexts] = useState(start);
  const [debounced] = useDebouncedValue(texts, 400);
  const orgId = "orgId" in scope ? scope.orgId : null;
  const preview = useTemplatePreview(me.user.id, orgId, { ...line, ...debounced });
  const change = useTemplateChange(me.user.id);
  const [done, setDone] = useState<string | null>(null);
  const problem = change.error ?? (preview.isError ? preview.error : null);

  const save = async (submit: boolean) => {
    setDone(null);
    const saved = draft
      ? await change.mutateAsync({ kind: "update", id: draft.id, input: texts })
      : await change.mutateAsync({ kind: "create", scope, input: { ...line, ...texts } });
    if (submit) await change.mutateAsync({ kind: "submit", id: saved.id });
    setDone(t(submit ? "editor.submitted" : "editor.saved", { version: saved.version }));
    if (draft && submit) onDone();
  };
  const headingId = draft ? "edit-draft-heading" : "new-version-heading";

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save(false).catch(() => undefined);
        }}
      >
        <Fieldset variant="unstyled" disabled={change.isPending}>
          <Stack gap="sm">
            <Title order={2} size="h3" id={headingId}>
              {draft ? t("editor.editTitle", { version: draft.version }) : t("editor.newTitle")}
            </Title>
            <Text size="sm" c="dimmed">
              {draft ? t("editor.editHint") : t(orgId ? "editor.newHint" : "editor.newSystemHint")}
            </Text>
            <TextInput
              label={t("editor.subject")}
              description={t(`editor.subjectHint.${line.channel}`)}
              value={texts.subject}
              maxLength={500}
              error={fieldError(problem, "subject", t)}
              onChange={(e) => {
                const subject = e.currentTarget.value;
                change.reset();
                setTexts((x) => ({ ...x, subject }));
              }}
            />
            <Textarea
              label={t("editor.body")}
              description={t("editor.bodyHint")}
              value={texts.body}
              rows={6}
              resize="vertical"
              required
              error={fieldError(problem, "body", t)}
              onChange={(e) => {
                const body = e.currentTarget.value;
                change.reset();
                setTexts((x) => ({ ...x, body }));
              }}
            />
            {problem && !fieldError(problem, "subject", t) && !fieldError(problem, "body", t) && (
              <Text size="sm" c="red.9" role="alert">
                {errorMessage(t as never, problem)}
              </Text>
            )}
            <Group gap="sm" wrap="wrap">
              <Button type="submit" loading={change.isPending} disabled={!texts.body.trim()}>
                {t("editor.saveDraft")}
              </Button>
              <Button
                variant="outline"
                disabled={!texts.body.trim() || change.isPending}
                onClick={() => save(true).catch(() => undefined)}
              >
                {t("editor.saveAndSubmit")}
              </Button>
              {draft && (
                <Button variant="subtle" onClick={onDone}>
                  {t("editor.stopEditing")}
                </Button>
              )}
            </Group>
            <Text size="sm" role="status" aria-live="polite">
              {done ?? ""}
            </Text>
          </Stack>
        </Fieldset>
      </form>
      {orgId && (
        <TemplatePreviewPanel
          preview={preview.isError ? undefined : preview.data}
          pending={preview.isFetching}
          failed={preview.isError}
        />
      )}
    </Paper>
  );
}
