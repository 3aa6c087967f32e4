import { Button, Group, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type CourseLink,
  type Integration,
  useAddCourseLink,
  useCourseLinks,
  useRemoveCourseLink,
  useStartExport,
} from "../../api/integrations";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { CourseSelect } from "../../ui/CourseSelect";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";

/**
 * The export direction of an integration (direction export or both): which Lyceum courses are
 * sent to which external course (added and removed here), and Send now / a dry run of the
 * export. The runs it starts are listed with the others, their records in the run's report.
 */
export function CourseLinksSection({ integration }: { integration: Integration }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const links = useCourseLinks(me.user.id, integration.id);
  const remove = useRemoveCourseLink(me.user.id, integration.id);
  const send = useStartExport(me.user.id, integration.organizationId, integration.id);
  const [asking, setAsking] = useState<CourseLink | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const start = (dryRun: boolean) => {
    setSaid(null);
    send.mutate(
      { dryRun },
      {
        onSuccess: () =>
          setSaid(dryRun ? t("courseLinks.dryRunStarted") : t("courseLinks.sendStarted")),
      },
    );
  };
  const hasLinks = (links.data?.length ?? 0) > 0;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="links-heading">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Title order={2} size="h3" id="links-heading">
            {t("courseLinks.heading")}
          </Title>
          <Group gap="xs">
            <Button
              loading={send.isPending && !send.variables?.dryRun}
              disabled={send.isPending || !hasLinks || !integration.isActive}
              onClick={() => start(false)}
            >
              {t("courseLinks.sendNow")}
            </Button>
            <Button
              variant="default"
              loading={send.isPending && send.variables?.dryRun}
              disabled={send.isPending || !hasLinks || !integration.isActive}
              onClick={() => start(true)}
            >
              {t("courseLinks.dryRun")}
            </Button>
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {t("courseLinks.intro")}
        </Text>
        <Text size="sm" role="status" aria-live="polite">
          {said ?? ""}
        </Text>
        {send.error && <ApiErrorAlert error={send.error} />}
        {remove.error && <ApiErrorAlert error={remove.error} />}
        <PageState
          query={links}
          isEmpty={(data) => data.length === 0}
          empty={
            <EmptyState
              title={t("courseLinks.emptyTitle")}
              reason={t("courseLinks.emptyReason")}
              headingLevel={3}
            />
          }
        >
          {(items) => (
            <Table.ScrollContainer minWidth={0}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("courseLinks.course")}</Table.Th>
                    <Table.Th>{t("courseLinks.externalCourse")}</Table.Th>
                    <Table.Th>{t("actions")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((link) => (
                    <Table.Tr key={link.id}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        {link.courseTitle}
                        <Text size="xs" c="dimmed">
                          {link.courseCode}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        {link.externalCourseId}
                      </Table.Td>
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="default"
                          aria-label={t("courseLinks.removeLabel", { course: link.courseTitle })}
                          onClick={() => setAsking(link)}
                        >
                          {t("courseLinks.remove")}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </PageState>
        <AddLinkForm integration={integration} onAdded={() => setSaid(t("courseLinks.added"))} />
      </Stack>
      {asking && (
        <ConfirmDialog
          title={t("courseLinks.removeTitle", { course: asking.courseTitle })}
          text={t("courseLinks.removeText")}
          confirm={t("courseLinks.remove")}
          busy={remove.isPending}
          onClose={() => setAsking(null)}
          onConfirm={() =>
            remove.mutate(asking.id, {
              onSuccess: () => {
                setAsking(null);
                setSaid(t("courseLinks.removed"));
              },
              onError: () => setAsking(null),
            })
          }
        />
      )}
    </Paper>
  );
}

function AddLinkForm({ integration, onAdded }: { integration: Integration; onAdded: () => void }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const add = useAddCourseLink(me.user.id, integration.id);
  const [courseId, setCourseId] = useState<string | null>(null);
  const [external, setExternal] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!courseId || !external.trim()) return;
    add.mutate(
      { courseId, externalCourseId: external.trim() },
      {
        onSuccess: () => {
          setCourseId(null);
          setExternal("");
          onAdded();
        },
      },
    );
  };
  return (
    <form onSubmit={submit} aria-labelledby="add-link-heading">
      <Stack gap="xs">
        <Title order={3} size="h4" id="add-link-heading">
          {t("courseLinks.addHeading")}
        </Title>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <CourseSelect
            orgId={integration.organizationId}
            choices="own"
            label={t("courseLinks.course")}
            placeholder={t("courseLinks.coursePlaceholder")}
            value={courseId}
            onChange={(id) => setCourseId(id)}
            w={{ base: "100%", sm: 280 }}
          />
          <TextInput
            label={t("courseLinks.externalCourse")}
            description={t("courseLinks.externalCourseHelp")}
            required
            maxLength={200}
            value={external}
            onChange={(e) => setExternal(e.currentTarget.value)}
            w={{ base: "100%", sm: 220 }}
          />
          <Button type="submit" variant="default" loading={add.isPending}>
            {t("courseLinks.add")}
          </Button>
        </Group>
        {add.error && <ApiErrorAlert error={add.error} />}
      </Stack>
    </form>
  );
}
