import { Accordion, Badge, Group, List, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { CourseDetail } from "../../api/catalog";
import { useFormat } from "../../i18n/format";

/** The modules with their lessons, the first one open. */
export function Outline({ modules }: { modules: CourseDetail["modules"] }) {
  const { t } = useTranslation("catalog");
  const format = useFormat();
  const withLessons = modules.filter((m) => m.lessons.length > 0);
  if (withLessons.length === 0) return <Text c="dimmed">{t("detail.emptyOutline")}</Text>;
  return (
    <Accordion multiple variant="separated" defaultValue={[withLessons[0]?.id ?? ""]}>
      {withLessons.map((module) => (
        <Accordion.Item key={module.id} value={module.id}>
          <Accordion.Control>
            <Text fw={600}>{module.title}</Text>
            <Text size="sm" c="dimmed">
              {t("detail.moduleLessons", { count: module.lessons.length })}
            </Text>
          </Accordion.Control>
          <Accordion.Panel>
            <List spacing="xs">
              {module.lessons.map((lesson) => (
                <List.Item key={lesson.id}>
                  <Group gap="xs">
                    <Text size="sm">{lesson.title}</Text>
                    {lesson.durationMinutes > 0 && (
                      <Text size="sm" c="dimmed">
                        {format.duration(lesson.durationMinutes)}
                      </Text>
                    )}
                    {lesson.isPreview && (
                      <Badge size="sm" variant="outline">
                        {t("detail.preview")}
                      </Badge>
                    )}
                  </Group>
                </List.Item>
              ))}
            </List>
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}

/** A titled section of the course's description. */
function Section({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: React.ReactNode;
}) {
  return (
    <Stack gap="xs" component="section" aria-labelledby={id}>
      <Title order={2} size="h3" id={id}>
        {title}
      </Title>
      {children}
    </Stack>
  );
}

/** What the course teaches: description, outcomes, outline, requirements and audience. */
export function CourseDescription({ detail }: { detail: CourseDetail }) {
  const { t } = useTranslation("catalog");
  const course = detail.course;
  return (
    <>
      <Section id="course-about" title={t("detail.about")}>
        <Text style={{ whiteSpace: "pre-line" }}>{course.description}</Text>
      </Section>
      {course.learningOutcomes.length > 0 && (
        <Section id="course-outcomes" title={t("detail.outcomes")}>
          <List spacing="xs">
            {course.learningOutcomes.map((outcome) => (
              <List.Item key={outcome}>{outcome}</List.Item>
            ))}
          </List>
        </Section>
      )}
      <Section id="course-outline" title={t("detail.outline")}>
        <Outline modules={detail.modules} />
      </Section>
      {course.requirements.length > 0 && (
        <Section id="course-requirements" title={t("detail.requirements")}>
          <List spacing="xs">
            {course.requirements.map((requirement) => (
              <List.Item key={requirement}>{requirement}</List.Item>
            ))}
          </List>
        </Section>
      )}
      {course.targetAudience && (
        <Section id="course-audience" title={t("detail.audience")}>
          <Text>{course.targetAudience}</Text>
        </Section>
      )}
    </>
  );
}
