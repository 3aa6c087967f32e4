import { Alert, Anchor, Button, Group, List, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import {
  type EditorCourse,
  type PublicationCheck,
  useCourseStatus,
  useDeleteCourse,
  usePublicationCheck,
} from "../../api/authoring";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { PageState } from "../../ui/PageState";

type Problem = PublicationCheck["items"][number];

/** Where a problem is fixed: the settings field, the module, or the outline. */
export function problemLink(courseId: string, problem: Problem): string {
  const base = `/teaching/courses/${courseId}`;
  if (problem.moduleId) return `${base}?tab=content&module=${problem.moduleId}`;
  if (problem.field) return `${base}?tab=settings&field=${problem.field}`;
  return `${base}?tab=content`;
}

/**
 * Publishing a course: what still stops it (each problem a link to where it is fixed), then
 * publish, take back to draft or archive, for people who may publish; deleting the course.
 */
export function PublicationPanel({ course }: { course: EditorCourse }) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const courseId = course.course.id;
  const status = course.course.status;
  const check = usePublicationCheck(me.user.id, courseId, status !== "published");
  const setStatus = useCourseStatus(me.user.id, courseId);
  const remove = useDeleteCourse(me.user.id, courseId);
  const [confirming, setConfirming] = useState<"archive" | "delete" | null>(null);
  const moduleTitle = (id: string | null | undefined) =>
    course.modules.find((m) => m.id === id)?.title ?? "";
  return (
    <Stack gap="lg">
      <Stack gap="sm">
        <Title order={2}>{t("publish.heading")}</Title>
        {status === "published" ? (
          <Text>{t("publish.isPublished")}</Text>
        ) : (
          <PageState query={check} pending={<Skeleton height={80} radius="md" />}>
            {(data) =>
              data.publishable ? (
                <Alert color="teal" variant="light" title={t("publish.readyTitle")}>
                  {t("publish.ready")}
                </Alert>
              ) : (
                <Stack gap="xs">
                  <Text>{t("publish.problems", { count: data.items.length })}</Text>
                  <List spacing="xs" aria-label={t("publish.checklist")}>
                    {data.items.map((problem) => (
                      <List.Item key={`${problem.code}-${problem.moduleId ?? problem.field ?? ""}`}>
                        <Anchor component={Link} to={problemLink(courseId, problem)}>
                          {t(`checklist.${problem.code}`, {
                            defaultValue: problem.message,
                            module: moduleTitle(problem.moduleId),
                          })}
                        </Anchor>
                      </List.Item>
                    ))}
                  </List>
                </Stack>
              )
            }
          </PageState>
        )}
        {setStatus.error && <ApiErrorAlert error={setStatus.error} />}
        {course.abilities.publish && (
          <Group gap="sm" wrap="wrap">
            {status !== "published" && (
              <Button
                onClick={() => setStatus.mutate("publish")}
                loading={setStatus.isPending && setStatus.variables === "publish"}
                disabled={!check.data?.publishable}
              >
                {t("publish.publish")}
              </Button>
            )}
            {status !== "draft" && (
              <Button
                variant="default"
                onClick={() => setStatus.mutate("unpublish")}
                loading={setStatus.isPending && setStatus.variables === "unpublish"}
              >
                {t("publish.unpublish")}
              </Button>
            )}
            {status === "published" && (
              <Button variant="default" color="red.9" onClick={() => setConfirming("archive")}>
                {t("publish.archive")}
              </Button>
            )}
          </Group>
        )}
        {!course.abilities.publish && <Text size="sm">{t("publish.notAllowed")}</Text>}
      </Stack>
      <Stack gap="sm">
        <Title order={2}>{t("publish.dangerHeading")}</Title>
        <Text size="sm">{t("publish.deleteHint")}</Text>
        <Button
          variant="outline"
          color="red.9"
          w="fit-content"
          onClick={() => setConfirming("delete")}
        >
          {t("publish.delete")}
        </Button>
      </Stack>
      {confirming === "archive" && (
        <ConfirmDialog
          title={t("publish.archiveTitle", { title: course.course.title })}
          text={t("publish.archiveText")}
          confirm={t("publish.archive")}
          busy={setStatus.isPending}
          onConfirm={() => setStatus.mutate("archive", { onSettled: () => setConfirming(null) })}
          onClose={() => setConfirming(null)}
        />
      )}
      {confirming === "delete" && (
        <ConfirmDialog
          title={t("publish.deleteTitle", { title: course.course.title })}
          text={t("publish.deleteText")}
          confirm={t("publish.delete")}
          busy={remove.isPending}
          onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate("/teaching") })}
          onClose={() => setConfirming(null)}
        />
      )}
      {remove.error && <ApiErrorAlert error={remove.error} />}
    </Stack>
  );
}
