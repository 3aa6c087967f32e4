import { Anchor, Button, Group, Skeleton, Stack, Tabs, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { useEditorCourse } from "../../api/authoring";
import { isNotFound } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { TeachingLinks } from "../cohorts/TeachingLinks";
import { ContentOutline } from "./ContentOutline";
import { CourseSettingsForm } from "./CourseSettingsForm";
import { PublicationPanel } from "./PublicationPanel";
import { StatusBadge } from "./StatusBadge";

const TABS = ["content", "settings", "publish"] as const;
type Tab = (typeof TABS)[number];

/**
 * A course's editor (`/teaching/courses/:courseId`): its outline (modules and lessons,
 * reordered by dragging), its settings, and its publication (the checklist and the status
 * changes), one tab each, the tab in the URL (`tab`) so the checklist's links lead to the
 * field (`field`) or module (`module`) to fix. Links preview it as a learner sees it and
 * open its enrollment requests.
 */
export function CourseEditorPage() {
  const { t } = useTranslation("authoring");
  const { courseId = "" } = useParams();
  const me = useSignedInMe();
  const course = useEditorCourse(me.user.id, courseId);
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((x) => x === params.get("tab")) ?? "content";
  usePageTitle(
    course.data ? t("editor.pageTitle", { title: course.data.course.title }) : t("editor.title"),
  );
  return (
    <Stack gap="md" maw={1100}>
      <Anchor component={Link} to="/teaching" w="fit-content">
        {t("editor.back")}
      </Anchor>
      {isNotFound(course.error, "courseId") ? (
        <Stack gap="sm">
          <Title order={1}>{t("editor.notFoundTitle")}</Title>
          <Text>{t("editor.notFound")}</Text>
        </Stack>
      ) : (
        <PageState
          query={course}
          pending={
            <Stack>
              <Title order={1}>{t("editor.title")}</Title>
              <Skeleton height={320} radius="md" />
            </Stack>
          }
        >
          {(data) =>
            !data.abilities.edit ? (
              <Stack gap="sm">
                <Title order={1}>{data.course.title}</Title>
                <Text>{t("editor.notEditor")}</Text>
              </Stack>
            ) : (
              <Stack gap="md">
                <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
                  <Stack gap={4} style={{ minWidth: 0 }}>
                    <Title order={1} style={{ overflowWrap: "anywhere" }}>
                      {data.course.title}
                    </Title>
                    <Group gap="sm">
                      <Text c="dimmed">{data.course.code}</Text>
                      <StatusBadge status={data.course.status} />
                    </Group>
                  </Stack>
                  <Group gap="sm" wrap="wrap">
                    <Button
                      component={Link}
                      to={`/courses/${courseId}?view=learner`}
                      variant="default"
                    >
                      {t("editor.preview")}
                    </Button>
                    <Button
                      component={Link}
                      to={`/teaching/courses/${courseId}/grading`}
                      variant="default"
                    >
                      {t("editor.grading")}
                    </Button>
                    <Button
                      component={Link}
                      to={`/teaching/courses/${courseId}/gradebook`}
                      variant="default"
                    >
                      {t("gradebook.editorLink")}
                    </Button>
                    <Button
                      component={Link}
                      to={`/teaching/courses/${courseId}/results`}
                      variant="default"
                    >
                      {t("results.editorLink")}
                    </Button>
                    <TeachingLinks course={data.course} />
                    {data.course.enrollmentType === "approval" && (
                      <Button
                        component={Link}
                        to={`/courses/${courseId}/requests`}
                        variant="default"
                      >
                        {t("editor.requests")}
                      </Button>
                    )}
                  </Group>
                </Group>
                <Tabs
                  value={tab}
                  onChange={(value) => value && setParams({ tab: value }, { replace: true })}
                  keepMounted={false}
                >
                  <Tabs.List>
                    {TABS.map((x) => (
                      <Tabs.Tab key={x} value={x}>
                        {t(`editor.tabs.${x}`)}
                      </Tabs.Tab>
                    ))}
                  </Tabs.List>
                  <Tabs.Panel value="content" pt="md">
                    <ContentOutline course={data} focusModule={params.get("module")} />
                  </Tabs.Panel>
                  <Tabs.Panel value="settings" pt="md">
                    <CourseSettingsForm
                      key={data.course.id}
                      course={data.course}
                      focusField={params.get("field")}
                    />
                  </Tabs.Panel>
                  <Tabs.Panel value="publish" pt="md">
                    <PublicationPanel course={data} />
                  </Tabs.Panel>
                </Tabs>
              </Stack>
            )
          }
        </PageState>
      )}
    </Stack>
  );
}
