import { Anchor, Badge, Card, Group, Progress, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { EnrollmentView } from "../../api/learner";
import { PreloadLink } from "../../app/PreloadLink";
import { useFormat } from "../../i18n/format";
import { ENROLLMENT_STATUS_COLOR } from "../../ui/enrollmentStatus";
import { isOverdue } from "./dashboard";

/** The due date, relative and absolute (in the person's zone), red once past. */
function DueDate({ dueAt, overdue }: { dueAt: string; overdue: boolean }) {
  const { t } = useTranslation("learner");
  const format = useFormat();
  const when = { relative: format.relative(dueAt), date: format.dateTime(dueAt) };
  return (
    <Text size="sm" fw={overdue ? 700 : undefined} c={overdue ? "red.9" : undefined}>
      {overdue ? t("myLearning.overdue", when) : t("myLearning.due", when)}
    </Text>
  );
}

/**
 * A course the person is taking: title (to its page), progress, last activity, what is due,
 * and the action to carry on (`action`).
 */
export function EnrollmentCard({
  enrollment,
  action,
  now,
}: {
  enrollment: EnrollmentView;
  action?: ReactNode;
  now: Date;
}) {
  const { t } = useTranslation("learner");
  const format = useFormat();
  const percent = Math.round(enrollment.progressPercent);
  const overdue = isOverdue(enrollment, now);
  return (
    <Card withBorder radius="md" padding="md" component="li">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={3} size="h4">
            <Anchor component={PreloadLink} to={`/courses/${enrollment.courseId}`}>
              {enrollment.course.title}
            </Anchor>
          </Title>
          {enrollment.status !== "active" && (
            <Badge
              color={ENROLLMENT_STATUS_COLOR[enrollment.status]}
              variant="dot"
              style={{ flexShrink: 0 }}
            >
              {t(`myLearning.status.${enrollment.status}`)}
            </Badge>
          )}
        </Group>
        {(overdue || enrollment.isCompliance || enrollment.isMandatory) && (
          <Group gap="xs">
            {overdue && (
              <Badge color="red.9" variant="filled" size="sm">
                {t("myLearning.overdueBadge")}
              </Badge>
            )}
            {enrollment.isCompliance && (
              <Badge color="indigo.9" variant="filled" size="sm">
                {t("myLearning.compliance")}
              </Badge>
            )}
            {enrollment.isMandatory && (
              <Badge color="grape.9" variant="filled" size="sm">
                {t("myLearning.mandatory")}
              </Badge>
            )}
          </Group>
        )}
        {enrollment.dueAt && <DueDate dueAt={enrollment.dueAt} overdue={overdue} />}
        {enrollment.cohortName && (
          <Text size="sm" c="dimmed">
            {enrollment.cohortName}
          </Text>
        )}
        <Progress
          value={percent}
          aria-label={t("myLearning.progressLabel", { course: enrollment.course.title })}
        />
        <Group justify="space-between" gap="xs">
          <Text size="sm">{t("myLearning.progress", { percent: format.percent(percent) })}</Text>
          {enrollment.lessonsTotal > 0 && (
            <Text size="sm" c="dimmed">
              {t("myLearning.lessons", {
                completed: format.number(enrollment.lessonsCompleted),
                total: format.number(enrollment.lessonsTotal),
              })}
            </Text>
          )}
        </Group>
        <Group justify="space-between" gap="xs">
          <Text size="sm" c="dimmed">
            {enrollment.lastAccessedAt
              ? t("myLearning.lastActivity", {
                  relative: format.relative(enrollment.lastAccessedAt),
                })
              : t("myLearning.notStarted")}
          </Text>
          {action}
        </Group>
      </Stack>
    </Card>
  );
}
