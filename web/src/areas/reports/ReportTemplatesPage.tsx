import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { type ReportTemplate, useDuplicateTemplate, useReportTemplates } from "../../api/reports";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { EmptyState } from "../../ui/EmptyState";
import { FilterRow } from "../../ui/FilterRow";
import { FilterSelect } from "../../ui/FilterSelect";
import { PageState } from "../../ui/PageState";
import { SearchFilter } from "../../ui/SearchFilter";
import { usePageParams } from "../../ui/usePageParams";
import { usePageTitle } from "../../ui/usePageTitle";
import { ReportsNav } from "./ReportsNav";
import { RunTemplateDialog } from "./RunTemplateDialog";

const KINDS = ["predefined", "saved", "mine"] as const;
type Kind = (typeof KINDS)[number];

/** Whether a template is of a kind the gallery filters by (the person's own: `userId`'s). */
function ofKind(template: ReportTemplate, kind: Kind | null, userId: string): boolean {
  if (kind === "predefined") return template.isSystem;
  if (kind === "saved") return !template.isSystem;
  if (kind === "mine") return template.createdBy === userId;
  return true;
}

/**
 * The report templates of an organization (`/reports/templates`): the predefined reports and
 * the organization's saved ones the person may see, by category and kind (predefined, saved,
 * their own), searchable; each opens its page. People who may export run one (with a format,
 * a date range and departments) and follow the job on its page; anyone here copies one to
 * change it (a private copy).
 */
export function ReportTemplatesPage() {
  const { t } = useTranslation("reports");
  usePageTitle(t("templates.title"));
  const choice = useChosenOrganization("reports:read");
  const { chosen } = choice;
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{t("templates.title")}</Title>
      {!chosen ? (
        <Text>{t("jobs.noOrganization")}</Text>
      ) : (
        <>
          <OrganizationSelect choice={choice} />
          <ReportsNav orgId={chosen.organization.id} />
          <Text c="dimmed">{t("templates.intro", { organization: chosen.organization.name })}</Text>
          <Templates key={chosen.organization.id} orgId={chosen.organization.id} />
        </>
      )}
    </Stack>
  );
}

function Templates({ orgId }: { orgId: string }) {
  const { t } = useTranslation("reports");
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const [params] = useSearchParams();
  const page = usePageParams();
  const templates = useReportTemplates(me.user.id, orgId, params.get("q") ?? "");
  const duplicate = useDuplicateTemplate(me.user.id, orgId);
  const [running, setRunning] = useState<ReportTemplate | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const category = params.get("category");
  const kindParam = params.get("kind");
  const kind = KINDS.includes(kindParam as Kind) ? (kindParam as Kind) : null;
  const categories = [...new Set((templates.data ?? []).map((x) => x.category))].sort();
  const shown = (data: ReportTemplate[]) =>
    data.filter((x) => (!category || x.category === category) && ofKind(x, kind, me.user.id));
  return (
    <Stack gap="sm" component="section" aria-labelledby="templates-heading">
      <Title order={2} id="templates-heading">
        {t("templates.heading")}
      </Title>
      <FilterRow>
        <SearchFilter label={t("templates.search")} />
        <FilterSelect
          label={t("templates.category")}
          any={t("templates.anyCategory")}
          options={categories.map((c) => ({ value: c, label: c }))}
          value={category}
          onChange={(value) => page.set("category", value)}
          w={{ base: "100%", xs: 220 }}
        />
        <FilterSelect
          label={t("templates.kind")}
          any={t("templates.anyKind")}
          options={KINDS.map((k) => ({ value: k, label: t(`templates.kinds.${k}`) }))}
          value={kind}
          onChange={(value) => page.set("kind", value)}
          w={{ base: "100%", xs: 220 }}
        />
      </FilterRow>
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      {duplicate.error && <ApiErrorAlert error={duplicate.error} />}
      <PageState
        query={templates}
        pending={<Skeleton height={320} radius="md" />}
        isEmpty={(data) => shown(data).length === 0}
        empty={<EmptyState title={t("templates.emptyTitle")} reason={t("templates.emptyReason")} />}
      >
        {(data) => (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
            {shown(data).map((template) => (
              <Card key={template.id} withBorder radius="md" padding="md" component="article">
                <Stack gap="xs" h="100%">
                  <Title order={3} size="h4" style={{ overflowWrap: "anywhere" }}>
                    <Anchor
                      component={Link}
                      to={`/reports/templates/${template.id}?org=${orgId}`}
                      inherit
                    >
                      {template.name}
                    </Anchor>
                  </Title>
                  <Group gap={6}>
                    <Badge variant="outline" color="gray.8">
                      {template.category}
                    </Badge>
                    <Badge variant="outline" color={template.isSystem ? "blue.9" : "grape.9"}>
                      {template.isSystem ? t("templates.predefined") : t("templates.saved")}
                    </Badge>
                  </Group>
                  <Text size="sm" style={{ flexGrow: 1 }}>
                    {template.description ?? ""}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t("templates.used", { count: template.usageCount })}
                  </Text>
                  <Group gap="xs">
                    {may("reports:export") && (
                      <Button
                        size="xs"
                        aria-label={t("templates.runFor", { name: template.name })}
                        onClick={() => {
                          setDone(null);
                          setRunning(template);
                        }}
                      >
                        {t("templates.run")}
                      </Button>
                    )}
                    {/* Anyone who reads reports keeps private copies of templates. */}
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={t("templates.copyFor", { name: template.name })}
                      loading={duplicate.isPending && duplicate.variables === template.id}
                      onClick={() => {
                        setDone(null);
                        duplicate.mutate(template.id, {
                          onSuccess: (copy) => setDone(t("templates.copied", { name: copy.name })),
                        });
                      }}
                    >
                      {t("templates.copy")}
                    </Button>
                  </Group>
                </Stack>
              </Card>
            ))}
          </SimpleGrid>
        )}
      </PageState>
      {running && (
        <RunTemplateDialog orgId={orgId} template={running} onClose={() => setRunning(null)} />
      )}
    </Stack>
  );
}
