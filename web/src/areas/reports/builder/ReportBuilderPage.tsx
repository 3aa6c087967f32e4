import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Radio,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import {
  type ReportCatalog,
  useDefinitionCheck,
  useReportCatalog,
  useReportEstimate,
} from "../../../api/reportBuilder";
import {
  type ReportDefinition,
  type ReportTemplate,
  useReportPreview,
  useReportTemplate,
} from "../../../api/reports";
import { OrganizationSelect, useChosenOrganization } from "../../../app/OrganizationChoice";
import { useOrgPermission } from "../../../app/permissions";
import { useSignedInMe } from "../../../app/RequireAuth";
import { PageState } from "../../../ui/PageState";
import { usePageTitle } from "../../../ui/usePageTitle";
import { builderPath, definitionFromParam } from "../builderLink";
import { NewScheduleDialog } from "../NewScheduleDialog";
import { ReportsNav } from "../ReportsNav";
import { RunTemplateDialog } from "../RunTemplateDialog";
import { ColumnsSection } from "./ColumnsSection";
import { DisplaySection } from "./DisplaySection";
import { PaletteDnd, type Payload, type Zone } from "./dnd";
import {
  BASES,
  type Base,
  type Draft,
  emptyDraft,
  fromDefinition,
  type MeasureType,
  measureId,
  newKey,
  onBase,
  toDefinition,
  withField,
} from "./draft";
import { FiltersSection } from "./FiltersSection";
import { GroupsSection, SlicersSection } from "./GroupsSection";
import { MeasuresSection } from "./MeasuresSection";
import { fieldLabel, translatedCatalog } from "./options";
import { Palette } from "./Palette";
import { PreviewPanel } from "./PreviewPanel";
import { SaveDialog } from "./SaveDialog";

/** Detail rows the preview shows. */
const PREVIEW_ROWS = 50;

/**
 * The report builder (`/reports/builder`): a report made of a base, columns, measures,
 * filters, groups and slicers, from a palette by dragging or with buttons; checked by the
 * server as it changes (each problem at its field), its cost estimated and its first rows
 * previewed as a chart and a table. Saved as a template, it runs and is scheduled like any.
 * Opens blank, on a saved template (`template`) or on a definition in the URL (`definition`).
 */
export function ReportBuilderPage() {
  const { t } = useTranslation("reportBuilder");
  usePageTitle(t("title"));
  const choice = useChosenOrganization("reports:read");
  const { chosen } = choice;
  return (
    <Stack gap="md" maw={1400}>
      <Title order={1}>{t("title")}</Title>
      {!chosen ? (
        <Text>{t("noOrganization")}</Text>
      ) : (
        <>
          <OrganizationSelect choice={choice} />
          <ReportsNav orgId={chosen.organization.id} />
          <Source key={chosen.organization.id} orgId={chosen.organization.id} />
        </>
      )}
    </Stack>
  );
}

/** Loads what the builder starts from: the catalog, and the template when one is named. */
function Source({ orgId }: { orgId: string }) {
  const { t } = useTranslation("reportBuilder");
  const me = useSignedInMe();
  const [params] = useSearchParams();
  const templateId = params.get("template");
  const carried = params.get("definition");
  const catalog = useReportCatalog(me.user.id, orgId);
  // Entity, field and measure names in the page's language (the server's are English).
  const { t: tr } = useTranslation("reports");
  const data = useMemo(
    () => (catalog.data ? translatedCatalog(catalog.data, tr) : null),
    [catalog.data, tr],
  );
  return (
    <PageState query={catalog} pending={<Skeleton height={480} radius="md" />}>
      {() =>
        data &&
        (templateId ? (
          <FromTemplate key={templateId} orgId={orgId} templateId={templateId} catalog={data} />
        ) : (
          <>
            {carried && !definitionFromParam(carried) && (
              <Alert color="orange" variant="outline" title={t("brokenLink")}>
                {t("brokenLinkText")}
              </Alert>
            )}
            <Builder
              key={carried ?? "new"}
              orgId={orgId}
              catalog={data}
              initial={definitionFromParam(carried)}
              template={null}
            />
          </>
        ))
      }
    </PageState>
  );
}

function FromTemplate({
  orgId,
  templateId,
  catalog,
}: {
  orgId: string;
  templateId: string;
  catalog: ReportCatalog;
}) {
  const me = useSignedInMe();
  const template = useReportTemplate(me.user.id, templateId, orgId);
  return (
    <PageState query={template} pending={<Skeleton height={480} radius="md" />}>
      {(data) => (
        <Builder
          orgId={orgId}
          catalog={catalog}
          initial={data.definition as unknown as ReportDefinition}
          template={data}
        />
      )}
    </PageState>
  );
}

function Builder({
  orgId,
  catalog,
  initial,
  template,
}: {
  orgId: string;
  catalog: ReportCatalog;
  initial: ReportDefinition | null;
  template: ReportTemplate | null;
}) {
  const { t } = useTranslation("reportBuilder");
  const { t: tr } = useTranslation("reports");
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(() =>
    initial ? fromDefinition(initial, catalog) : emptyDraft(),
  );
  const location = useLocation();
  const justSaved = (location.state as { saved?: string } | null)?.saved;
  const [notice, setNotice] = useState(justSaved ? t("saved", { name: justSaved }) : "");
  const [dialog, setDialog] = useState<"save" | "run" | "schedule" | null>(null);
  const change = (update: (d: Draft) => Draft) => setDraft((d) => update(d));
  const { definition, columnPaths } = useMemo(() => toDefinition(draft, catalog), [draft, catalog]);
  // The server is asked once the person pauses, not at every keystroke.
  const [settled] = useDebouncedValue(definition, 400);
  const check = useDefinitionCheck(me.user.id, orgId, settled);
  const current = !check.isPlaceholderData && check.data !== undefined;
  const runnable = current && check.data?.valid ? settled : null;
  const preview = useReportPreview(me.user.id, orgId, runnable, PREVIEW_ROWS);
  const estimate = useReportEstimate(me.user.id, orgId, runnable);
  const problems = check.data?.errors ?? [];
  const measureLabel = (type: MeasureType) => tr(`definition.measures.${type}`);
  const zoneName = (zone: Zone) => t(`zones.${zone}`);
  const mayChange =
    !!template &&
    !template.isSystem &&
    (template.createdBy === me.user.id || may("reports:manage"));
  const saved = useMemo(
    () => (template ? JSON.stringify(savedDefinition(template, catalog)) : null),
    [template, catalog],
  );
  const dirty = saved !== null && saved !== JSON.stringify(definition);

  const addField = (ref: string, to: Zone | "slicers") => {
    if (to !== "measures") change((d) => withField(d, ref, to, catalog));
    if (to === "measures") addMeasure("count-distinct", ref);
    setNotice(t("added", { name: fieldLabel(catalog, ref), zone: t(`zones.${to}`) }));
  };
  const addMeasure = (type: MeasureType, field?: string) => {
    const spec = catalog.measures.find((m) => m.type === type);
    change((d) => ({
      ...d,
      measures: [
        ...d.measures,
        {
          key: newKey(),
          id: measureId(
            type,
            d.measures.map((m) => m.id),
          ),
          type,
          format: spec?.format ?? "number",
          ...(spec?.field && field ? { field } : {}),
        },
      ],
    }));
    setNotice(t("added", { name: measureLabel(type), zone: t("zones.measures") }));
  };
  const onDrop = (payload: Payload, zone: Zone) => {
    if (payload.kind === "measure") {
      if (zone === "measures") addMeasure(payload.type as MeasureType);
    } else addField(payload.ref, zone);
  };
  const setBase = (base: Base) => {
    const moved = onBase(draft, base, catalog);
    setDraft(moved.draft);
    setNotice(
      moved.removed
        ? t("base.removed", { count: moved.removed })
        : t("base.changed", { base: t(`base.${base}`) }),
    );
  };
  const sectionProps = { draft, change, catalog, problems };
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Stack gap={2}>
          {template ? (
            <Text>
              {t("editing", { name: template.name, version: template.version })}{" "}
              {dirty && (
                <Badge variant="outline" color="orange.9">
                  {t("unsaved")}
                </Badge>
              )}
            </Text>
          ) : (
            <Text c="dimmed">{t("intro")}</Text>
          )}
        </Stack>
        <Group gap="xs">
          <Button onClick={() => setDialog("save")} disabled={!current || !check.data?.valid}>
            {template ? t("actions.save") : t("actions.saveNew")}
          </Button>
          {template && may("reports:export") && (
            <>
              <Button variant="default" onClick={() => setDialog("run")}>
                {t("actions.run")}
              </Button>
              <Button variant="default" onClick={() => setDialog("schedule")}>
                {t("actions.schedule")}
              </Button>
            </>
          )}
        </Group>
      </Group>
      {template && dirty && may("reports:export") && (
        <Text size="sm" c="dimmed">
          {t("runsSaved")}
        </Text>
      )}
      <Text size="sm" role="status" aria-live="polite">
        {notice}
      </Text>
      <Radio.Group
        label={t("base.label")}
        description={t("base.hint")}
        value={draft.base}
        onChange={(value) => setBase(value as Base)}
      >
        <Group gap="md" mt={4}>
          {BASES.filter((b) => catalog.bases.some((x) => x.key === b && x.allowed !== false)).map(
            (base) => (
              <Radio key={base} value={base} label={t(`base.${base}`)} />
            ),
          )}
        </Group>
      </Radio.Group>
      <PaletteDnd onDrop={onDrop} zoneName={zoneName}>
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
            <Palette
              catalog={catalog}
              base={draft.base}
              onAddField={addField}
              onAddMeasure={(type) => addMeasure(type)}
              measureLabel={measureLabel}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>
            <Stack gap="md">
              <ColumnsSection {...sectionProps} columnPaths={columnPaths} />
              <MeasuresSection {...sectionProps} measureLabel={measureLabel} />
              <FiltersSection {...sectionProps} orgId={orgId} />
              <GroupsSection {...sectionProps} />
              <SlicersSection {...sectionProps} />
              <DisplaySection {...sectionProps} />
            </Stack>
          </Grid.Col>
        </Grid>
      </PaletteDnd>
      <PreviewPanel
        preview={preview}
        estimate={estimate}
        chart={draft.chart}
        blocked={current && !check.data?.valid ? problems.map((p) => p.message) : null}
        checking={check.isFetching}
      />
      {check.error && (
        <Text size="sm" c="red.9">
          {t("checkFailed")}
        </Text>
      )}
      {template && (
        <Anchor component={Link} to={`/reports/templates?org=${orgId}`} size="sm">
          {t("backToTemplates")}
        </Anchor>
      )}
      {dialog === "save" && (
        <SaveDialog
          orgId={orgId}
          definition={definition}
          from={template}
          mayChange={mayChange}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            setDialog(null);
            navigate(builderPath(orgId, { templateId: saved.id }), {
              replace: true,
              state: { saved: saved.name },
            });
          }}
        />
      )}
      {dialog === "run" && template && (
        <RunTemplateDialog orgId={orgId} template={template} onClose={() => setDialog(null)} />
      )}
      {dialog === "schedule" && template && (
        <NewScheduleDialog orgId={orgId} templateId={template.id} onClose={() => setDialog(null)} />
      )}
    </Stack>
  );
}

/** A saved template's definition as the builder would write it again (to tell changes). */
function savedDefinition(template: ReportTemplate, catalog: ReportCatalog): ReportDefinition {
  return toDefinition(
    fromDefinition(template.definition as unknown as ReportDefinition, catalog),
    catalog,
  ).definition;
}
