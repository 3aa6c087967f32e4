import {
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import {
  type ReportDefinition,
  type ReportTemplateDetail,
  useDeleteTemplate,
  useDuplicateTemplate,
  useReportTemplate,
  useTemplateVersions,
} from "../../api/reports";
import { useChosenOrganization } from "../../app/OrganizationChoice";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { builderPath } from "./builderLink";
import { describeDefinition } from "./definitionWords";
import { RunTemplateDialog } from "./RunTemplateDialog";
import { ActionOutcome, RefusalPage, refusalOf, useActionRow } from "./shared";
import { EditTemplateDialog, ShareTemplateDialog } from "./TemplateDialogs";
import { versionChanges, visibilityOf } from "./versionChanges";

/**
 * A report template (`/reports/templates/:templateId?org=…`, linked from the gallery): what it
 * is, who saved it and who sees it, its report in words and its version history. Everyone who
 * sees it may copy it and open it in the report builder; those who may export run it; its
 * author and report managers (the server's `abilities.change`) edit, share and delete it.
 * System templates are read-only.
 */
export function ReportTemplatePage() {
  const { t } = useTranslation("reports");
  const { templateId = "" } = useParams();
  const me = useSignedInMe();
  const { chosen } = useChosenOrganization("reports:read");
  const orgId = chosen?.organization.id ?? "";
  const template = useReportTemplate(me.user.id, templateId, orgId);
  const refusal = refusalOf(template.error, "templateId");
  usePageTitle(
    template.data?.name ?? (refusal ? t("refusal.templateTitle") : t("templates.title")),
  );
  if (!chosen) return <Text>{t("jobs.noOrganization")}</Text>;
  if (refusal) return <RefusalPage kind={refusal} title={t("refusal.templateTitle")} />;
  return (
    <PageState
      query={template}
      pending={<Skeleton height={320} radius="md" maw={820} aria-hidden />}
    >
      {(data) => (
        <TemplateView
          template={data}
          templateId={templateId}
          orgId={data.organizationId ?? orgId}
        />
      )}
    </PageState>
  );
}

function TemplateView({
  template,
  templateId,
  orgId,
}: {
  template: ReportTemplateDetail;
  templateId: string;
  orgId: string;
}) {
  const { t } = useTranslation("reports");
  const format = useFormat();
  const none = t("job.none");
  const rows: Array<[string, ReactNode]> = [
    [t("template.category"), template.category],
    [t("template.visibility"), visibilityOf(template, t)],
    [
      t("template.owner"),
      template.isSystem ? t("template.ownerSystem") : (template.owner?.name ?? none),
    ],
    [
      t("template.sharedWith"),
      template.sharedWithPeople.length
        ? template.sharedWithPeople.map((p) => p.name).join(", ")
        : t("template.sharedWithNobody"),
    ],
    [t("template.version"), format.number(template.version)],
    [t("template.updatedAt"), format.dateTime(template.updatedAt)],
    [
      t("template.usage"),
      template.usageCount === 0
        ? t("template.usageNone")
        : template.lastUsedAt
          ? t("template.usageLast", {
              count: template.usageCount,
              runs: format.number(template.usageCount),
              date: format.dateTime(template.lastUsedAt),
            })
          : t("templates.used", { count: template.usageCount }),
    ],
    [t("template.format"), t(`format.${template.defaultOutputFormat}`)],
  ];
  if (template.tags.length) rows.push([t("template.tags"), template.tags.join(", ")]);

  return (
    <Stack gap="lg" maw={820}>
      <Stack gap={4}>
        <Anchor component={Link} to={`/reports/templates?org=${orgId}`} size="sm" w="fit-content">
          {t("template.back")}
        </Anchor>
        <Title order={1} style={{ overflowWrap: "anywhere" }}>
          {template.name}
        </Title>
        <Group gap={6}>
          <Badge variant="outline" color={template.isSystem ? "blue.9" : "grape.9"}>
            {template.isSystem ? t("templates.predefined") : t("templates.saved")}
          </Badge>
          <Badge variant="outline" color="gray.8">
            {template.category}
          </Badge>
        </Group>
        {template.description && <Text>{template.description}</Text>}
      </Stack>

      <TemplateActions template={template} templateId={templateId} orgId={orgId} />

      <Stack gap="xs" component="section" aria-labelledby="template-details">
        <Title order={2} size="h3" id="template-details">
          {t("template.details")}
        </Title>
        <Table variant="vertical" withTableBorder layout="fixed">
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w="40%">{label}</Table.Th>
                <Table.Td style={{ overflowWrap: "anywhere" }}>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>

      <DefinitionSummary template={template} />
      <VersionHistory templateId={templateId} orgId={orgId} />
    </Stack>
  );
}

function TemplateActions({
  template,
  templateId,
  orgId,
}: {
  template: ReportTemplateDetail;
  templateId: string;
  orgId: string;
}) {
  const { t } = useTranslation("reports");
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const navigate = useNavigate();
  const duplicate = useDuplicateTemplate(me.user.id, orgId);
  const remove = useDeleteTemplate(me.user.id, orgId, templateId);
  const { done, setDone, busy, error, reset } = useActionRow([duplicate, remove]);
  const [dialog, setDialog] = useState<"run" | "edit" | "share" | "delete" | null>(null);
  const change = template.abilities.change;
  const open = (which: typeof dialog) => {
    reset();
    setDialog(which);
  };
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Group gap="sm">
          {may("reports:export") && (
            <Button disabled={busy} onClick={() => open("run")}>
              {t("templates.run")}
            </Button>
          )}
          <Button
            component={Link}
            to={builderPath(orgId, { templateId: template.id })}
            variant="default"
          >
            {change ? t("template.editInBuilder") : t("template.openInBuilder")}
          </Button>
          {change && (
            <>
              <Button variant="default" disabled={busy} onClick={() => open("edit")}>
                {t("template.edit")}
              </Button>
              <Button variant="default" disabled={busy} onClick={() => open("share")}>
                {t("template.share")}
              </Button>
            </>
          )}
          <Button
            variant="default"
            loading={duplicate.isPending}
            disabled={busy}
            onClick={() => {
              reset();
              duplicate.mutate(template.id, {
                onSuccess: (copy) => navigate(`/reports/templates/${copy.id}?org=${orgId}`),
              });
            }}
          >
            {t("templates.copy")}
          </Button>
          {change && (
            <Button variant="outline" color="red.9" disabled={busy} onClick={() => open("delete")}>
              {t("template.delete")}
            </Button>
          )}
        </Group>
        {!change && (
          <Text size="sm" c="dimmed">
            {template.isSystem ? t("template.readOnlySystem") : t("template.readOnlyOther")}
          </Text>
        )}
        <ActionOutcome done={done} error={error} />
      </Stack>
      {dialog === "run" && (
        <RunTemplateDialog orgId={orgId} template={template} onClose={() => setDialog(null)} />
      )}
      {dialog === "edit" && (
        <EditTemplateDialog
          orgId={orgId}
          template={template}
          templateId={templateId}
          onClose={() => setDialog(null)}
          onSaved={(version) => {
            setDialog(null);
            setDone(version ? t("template.saved", { version }) : t("template.unchanged"));
          }}
        />
      )}
      {dialog === "share" && (
        <ShareTemplateDialog
          orgId={orgId}
          template={template}
          templateId={templateId}
          onClose={() => setDialog(null)}
          onShared={(message) => {
            setDialog(null);
            setDone(message);
          }}
        />
      )}
      {dialog === "delete" && (
        <ConfirmDialog
          title={t("template.deleteTitle", { name: template.name })}
          text={t("template.deleteText")}
          confirm={t("template.deleteConfirm")}
          busy={remove.isPending}
          onClose={() => setDialog(null)}
          onConfirm={() =>
            remove.mutate(undefined, {
              onSuccess: () => navigate(`/reports/templates?org=${orgId}`, { replace: true }),
              onError: () => setDialog(null),
            })
          }
        />
      )}
    </Paper>
  );
}

function DefinitionSummary({ template }: { template: ReportTemplateDetail }) {
  const { t } = useTranslation("reports");
  const format = useFormat();
  const words = describeDefinition(template.definition as ReportDefinition, t, format);
  const lines: Array<[string, string[]]> = [
    [t("definition.counts"), [words.base]],
    [t("definition.rowsBy"), words.rows.length ? words.rows : [t("definition.oneRow")]],
    ...(words.groups.length
      ? [[t("definition.groupedBy"), words.groups] as [string, string[]]]
      : []),
    [t("definition.measuresHeading"), words.measures],
    [t("definition.filters"), words.filters.length ? words.filters : [t("definition.noFilters")]],
  ];
  return (
    <Stack gap="xs" component="section" aria-labelledby="template-definition">
      <Title order={2} size="h3" id="template-definition">
        {t("template.definition")}
      </Title>
      <Table variant="vertical" withTableBorder layout="fixed">
        <Table.Tbody>
          {lines.map(([label, items]) => (
            <Table.Tr key={label}>
              <Table.Th w="40%">{label}</Table.Th>
              <Table.Td style={{ overflowWrap: "anywhere" }}>
                {items.length === 1 ? (
                  items[0]
                ) : (
                  <List size="sm" spacing={2}>
                    {items.map((item, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: lines may repeat
                      <List.Item key={i}>{item}</List.Item>
                    ))}
                  </List>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function VersionHistory({ templateId, orgId }: { templateId: string; orgId: string }) {
  const { t } = useTranslation("reports");
  const format = useFormat();
  const me = useSignedInMe();
  const versions = useTemplateVersions(me.user.id, templateId, orgId);
  return (
    <Stack gap="xs" component="section" aria-labelledby="template-versions">
      <Title order={2} size="h3" id="template-versions">
        {t("template.versions")}
      </Title>
      <PageState query={versions} pending={<Skeleton height={120} radius="md" />}>
        {(data) => (
          <List listStyleType="none" spacing="sm" aria-labelledby="template-versions">
            {data.map((version, i) => {
              const older = data[i + 1];
              const changes = older ? versionChanges(version, older, t) : [];
              const when = format.dateTime(version.updatedAt);
              return (
                <List.Item key={version.id}>
                  <Stack gap={2}>
                    <Group gap="xs">
                      <Text fw={600}>
                        {t("template.versionLine", { version: version.version })}
                      </Text>
                      {version.isLatest && (
                        <Badge variant="outline" color="teal.9">
                          {t("template.current")}
                        </Badge>
                      )}
                    </Group>
                    <Text size="sm" c="dimmed">
                      {version.author
                        ? t("template.versionBy", { name: version.author.name, date: when })
                        : when}
                    </Text>
                    {!older ? (
                      <Text size="sm">{t("template.firstVersion")}</Text>
                    ) : changes.length ? (
                      <List size="sm" spacing={2}>
                        {changes.map((change) => (
                          <List.Item key={change}>{change}</List.Item>
                        ))}
                      </List>
                    ) : (
                      <Text size="sm">{t("template.noChanges")}</Text>
                    )}
                  </Stack>
                </List.Item>
              );
            })}
          </List>
        )}
      </PageState>
    </Stack>
  );
}
