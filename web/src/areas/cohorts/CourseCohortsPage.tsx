import { Anchor, Button, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import type { EditorCourse } from "../../api/authoring";
import { useCourseCohorts } from "../../api/catalog";
import type { Cohort } from "../../api/cohorts";
import { useSignedInMe } from "../../app/RequireAuth";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { CohortActions } from "./CohortActions";
import { CohortDialog } from "./CohortDialog";
import { CourseFrame } from "./CourseFrame";
import { CohortStatusBadge, useCohortText } from "./cohortText";
import { splitCohorts } from "./lifecycle";

/**
 * A cohort-based course's cohorts (`/teaching/courses/:courseId/cohorts`), for its editors:
 * those running and to come, soonest first, then those over; each with its status, dates in
 * its own time zone and seats, changed in a dialog and moved along its lifecycle. *Schedule a
 * cohort* adds one; a cohort's name opens its page (roster, waitlist, recordings).
 */
export function CourseCohortsPage() {
  const { t } = useTranslation("cohorts");
  const { courseId = "" } = useParams();
  return (
    <CourseFrame
      courseId={courseId}
      title={(course) => (course ? t("cohorts.pageTitle", { course }) : t("cohorts.title"))}
      intro={t("cohorts.intro")}
    >
      {(data) =>
        data.course.delivery === "cohort-based" ? (
          <CohortLists course={data.course} />
        ) : (
          <EmptyState
            title={t("cohorts.selfPacedTitle")}
            reason={t("cohorts.selfPacedReason")}
            action={
              <Anchor
                component={Link}
                to={`/teaching/courses/${courseId}?tab=settings&field=delivery`}
              >
                {t("cohorts.toSettings")}
              </Anchor>
            }
          />
        )
      }
    </CourseFrame>
  );
}

function CohortLists({ course }: { course: EditorCourse["course"] }) {
  const { t } = useTranslation("cohorts");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const cohorts = useCourseCohorts(me.user.id, course.id, true);
  const [creating, setCreating] = useState(false);
  const [done, setDone] = useState("");
  // A step that ends a cohort moves its card to the other list, taking the focused button
  // with it: focus goes to the cohort's name in its new place.
  const [moved, setMoved] = useState<string | null>(null);
  const onDone = (message: string, cohortId: string) => {
    setDone(message);
    setMoved(cohortId);
  };
  useEffect(() => {
    if (!moved || !cohorts.data) return;
    setMoved(null);
    const active = document.activeElement;
    if (active && active !== document.body) return;
    document.getElementById(`cohort-${moved}`)?.focus();
  }, [cohorts.data, moved]);
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Text size="sm" role="status" aria-live="polite">
          {done}
        </Text>
        <Button onClick={() => setCreating(true)}>{t("cohorts.new")}</Button>
      </Group>
      <PageState
        query={cohorts}
        pending={<Skeleton height={240} radius="md" />}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState
            title={t("cohorts.emptyTitle")}
            reason={t("cohorts.emptyReason")}
            action={<Button onClick={() => setCreating(true)}>{t("cohorts.new")}</Button>}
          />
        }
      >
        {(list) => {
          const { current, past } = splitCohorts(list);
          return (
            <Stack gap="lg">
              <CohortSection
                id="current-cohorts"
                title={t("cohorts.current")}
                cohorts={current}
                none={t("cohorts.noCurrent")}
                onDone={onDone}
              />
              {past.length > 0 && (
                <CohortSection
                  id="past-cohorts"
                  title={t("cohorts.past")}
                  cohorts={past}
                  none=""
                  onDone={onDone}
                />
              )}
            </Stack>
          );
        }}
      </PageState>
      {creating && (
        <CohortDialog
          courseId={course.id}
          cohort={null}
          onClose={() => setCreating(false)}
          onSaved={(cohort) => {
            setCreating(false);
            navigate(`/teaching/cohorts/${cohort.id}`);
          }}
        />
      )}
    </Stack>
  );
}

function CohortSection({
  id,
  title,
  cohorts,
  none,
  onDone,
}: {
  id: string;
  title: string;
  cohorts: Cohort[];
  none: string;
  onDone: (message: string, cohortId: string) => void;
}) {
  return (
    <Stack gap="sm" component="section" aria-labelledby={id}>
      <Title order={2} id={id}>
        {title}
      </Title>
      {cohorts.length === 0 ? (
        <Text c="dimmed">{none}</Text>
      ) : (
        <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
          {cohorts.map((cohort) => (
            <CohortCard key={cohort.id} cohort={cohort} onDone={onDone} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function CohortCard({
  cohort,
  onDone,
}: {
  cohort: Cohort;
  onDone: (message: string, cohortId: string) => void;
}) {
  const { t } = useTranslation("cohorts");
  const text = useCohortText();
  const name = useRef<HTMLAnchorElement>(null);
  return (
    <Paper component="li" withBorder p="md" radius="md">
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Title order={3} size="h4" style={{ overflowWrap: "anywhere" }}>
            <Anchor
              ref={name}
              id={`cohort-${cohort.id}`}
              component={Link}
              to={`/teaching/cohorts/${cohort.id}`}
            >
              {cohort.name}
            </Anchor>
          </Title>
          <CohortStatusBadge status={cohort.status} />
        </Group>
        <Text size="sm">{text.dates(cohort)}</Text>
        <Text size="sm">
          {text.seats(cohort)}
          {cohort.waitlistCount > 0 && ` · ${text.waiting(cohort)}`}
        </Text>
        {cohort.cancelledReason && (
          <Text size="sm">{t("cohort.cancelledReason", { reason: cohort.cancelledReason })}</Text>
        )}
        <CohortActions
          cohort={cohort}
          fallback={name}
          onDone={(message) => onDone(message, cohort.id)}
        />
      </Stack>
    </Paper>
  );
}
