import { Badge, Group, Paper, Radio, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type Cohort, useCourseCohorts } from "../../api/catalog";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";

const COHORT_COLORS: Record<Cohort["status"], string> = {
  scheduled: "gray",
  open: "teal",
  "in-progress": "indigo",
  completed: "gray",
  cancelled: "red",
};

/** Cohorts still to come or running, soonest first. */
function upcoming(cohorts: Cohort[]): Cohort[] {
  return cohorts
    .filter((c) => c.status !== "completed" && c.status !== "cancelled")
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

function useSeats() {
  const { t } = useTranslation("catalog");
  return (cohort: Cohort) =>
    cohort.seatsLeft > 0 ? t("detail.seatsLeft", { count: cohort.seatsLeft }) : t("detail.full");
}

/** A cohort-based course's coming and running cohorts: dates, status and seats left. */
export function CohortsSection({ courseId }: { courseId: string }) {
  const { t } = useTranslation("catalog");
  const format = useFormat();
  const seats = useSeats();
  const me = useSignedInMe();
  const cohorts = useCourseCohorts(me.user.id, courseId, true);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="cohorts">
      <Title order={2} size="h3" id="cohorts" mb="xs">
        {t("detail.cohorts")}
      </Title>
      <PageState
        query={cohorts}
        pending={<Skeleton height={60} />}
        isEmpty={(data) => upcoming(data).length === 0}
        empty={<Text size="sm">{t("detail.noCohorts")}</Text>}
      >
        {(data) => (
          <Stack gap="sm" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {upcoming(data).map((cohort) => (
              <Stack gap={2} key={cohort.id} component="li">
                <Group gap="xs" justify="space-between" wrap="nowrap">
                  <Text size="sm" fw={600}>
                    {cohort.name}
                  </Text>
                  <Badge variant="dot" color={COHORT_COLORS[cohort.status]} size="sm">
                    {t(`detail.cohortStatus.${cohort.status}`)}
                  </Badge>
                </Group>
                <Text size="sm">
                  {t("detail.cohortDates", {
                    start: format.date(cohort.startsAt),
                    end: format.date(cohort.endsAt),
                  })}
                </Text>
                <Text size="sm" c="dimmed">
                  {seats(cohort)}
                </Text>
              </Stack>
            ))}
          </Stack>
        )}
      </PageState>
    </Paper>
  );
}

/** The open cohorts to choose from before enrolling (nothing for a self-paced course). */
export function CohortChoice({
  courseId,
  value,
  onChange,
}: {
  courseId: string;
  value: string | null;
  onChange: (cohortId: string) => void;
}) {
  const { t } = useTranslation("catalog");
  const format = useFormat();
  const seats = useSeats();
  const me = useSignedInMe();
  const cohorts = useCourseCohorts(me.user.id, courseId, true);
  if (cohorts.isPending) return <Skeleton height={60} />;
  if (cohorts.isError)
    return <ApiErrorAlert error={cohorts.error} onRetry={() => void cohorts.refetch()} />;
  const open = cohorts.data.filter((c) => c.status === "open");
  if (open.length === 0) return <Text size="sm">{t("detail.noCohorts")}</Text>;
  return (
    <Radio.Group label={t("detail.chooseCohort")} value={value} onChange={onChange}>
      <Stack gap="xs" mt="xs">
        {open.map((cohort) => (
          <Radio
            key={cohort.id}
            value={cohort.id}
            label={cohort.name}
            description={`${t("detail.cohortDates", {
              start: format.date(cohort.startsAt),
              end: format.date(cohort.endsAt),
            })} · ${seats(cohort)}`}
          />
        ))}
      </Stack>
    </Radio.Group>
  );
}
