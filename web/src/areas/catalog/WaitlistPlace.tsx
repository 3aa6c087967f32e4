import { Alert, Anchor, Button, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useCourseCohorts } from "../../api/catalog";
import { useLeaveWaitlist, type WaitlistEntry } from "../../api/enrollment";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

/** The person's place on a cohort's waitlist: their position, or the seat offered to them. */
export function WaitlistPlace({ entry }: { entry: WaitlistEntry }) {
  const { t } = useTranslation("enrollment");
  const format = useFormat();
  const me = useSignedInMe();
  const cohorts = useCourseCohorts(me.user.id, entry.courseId, true);
  const leave = useLeaveWaitlist(me.user.id);
  const cohort = cohorts.data?.find((c) => c.id === entry.cohortId)?.name ?? "";
  if (entry.status === "offered") {
    return (
      <Alert color="teal" variant="light" role="status">
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t("waitlist.offered", {
              cohort,
              until: entry.offerExpiresAt ? format.dateTime(entry.offerExpiresAt) : "",
            })}
          </Text>
          <Anchor component={Link} to={`/waitlist/${entry.id}`} size="sm">
            {t("waitlist.seeOffer")}
          </Anchor>
        </Stack>
      </Alert>
    );
  }
  return (
    <Stack gap="sm">
      <Alert color="yellow" variant="light" role="status">
        <Text size="sm" fw={600}>
          {t("waitlist.position", { position: format.number(entry.position), cohort })}
        </Text>
        <Text size="sm">{t("waitlist.weWillTell")}</Text>
      </Alert>
      {leave.isError && <ApiErrorAlert error={leave.error} />}
      <Button
        variant="subtle"
        color="red"
        size="xs"
        w="fit-content"
        loading={leave.isPending}
        onClick={() => leave.mutate(entry)}
      >
        {t("waitlist.leave")}
      </Button>
    </Stack>
  );
}
