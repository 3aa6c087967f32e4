import { Badge, Skeleton, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type Cohort, useCohortWaitlist } from "../../api/cohorts";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";

/**
 * A cohort's waitlist in order: each place's position, the learner, whether a seat is offered
 * to them (and until when) and since when they wait. Seats are offered by the server as they
 * free up, so there is nothing to do here but watch.
 */
export function WaitlistPanel({ cohort }: { cohort: Cohort }) {
  const { t } = useTranslation("cohorts");
  const format = useFormat();
  const me = useSignedInMe();
  const waitlist = useCohortWaitlist(me.user.id, cohort.id);
  return (
    <Stack gap="sm" component="section" aria-label={t("waitlist.title")}>
      <Text size="sm" c="dimmed">
        {t("waitlist.intro")}
      </Text>
      <PageState
        query={waitlist}
        pending={<Skeleton height={160} radius="md" />}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState
            headingLevel={3}
            title={t("waitlist.emptyTitle")}
            reason={
              cohort.seatsLeft > 0
                ? t("waitlist.emptyReasonSeats", { count: cohort.seatsLeft })
                : t("waitlist.emptyReasonFull")
            }
          />
        }
      >
        {(list) => (
          <Table.ScrollContainer minWidth={0}>
            <Table aria-label={t("waitlist.title")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("waitlist.position")}</Table.Th>
                  <Table.Th>{t("waitlist.learner")}</Table.Th>
                  <Table.Th>{t("waitlist.status")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("waitlist.since")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((place) => (
                  <Table.Tr key={place.id}>
                    <Table.Td>{format.number(place.position)}</Table.Td>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Text fw={500}>{place.learner.name}</Text>
                      <Text size="sm" c="dimmed">
                        {place.learner.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        variant="outline"
                        color={place.status === "offered" ? "teal.9" : "gray.8"}
                      >
                        {t(
                          `waitlist.statuses.${place.status === "offered" ? "offered" : "waiting"}`,
                        )}
                      </Badge>
                      {place.status === "offered" && place.offerExpiresAt && (
                        <Text size="xs">
                          {t("waitlist.offeredUntil", {
                            date: format.dateTime(place.offerExpiresAt),
                          })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{format.date(place.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PageState>
    </Stack>
  );
}
