import { Alert, Button, Group, Loader, Stack, Text } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Course } from "../../api/catalog";
import { useCheckout } from "../../api/enrollment";
import type { EnrollmentView } from "../../api/learner";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { CohortChoice } from "./CohortsSection";
import { usePrice } from "./CourseFacts";

/** How long the page waits for the provider's notice before saying it is late. */
const CONFIRM_WAIT_MS = 60_000;

/**
 * A paid course: pay by card (POST /enrollments/checkout) and go to the provider's checkout
 * page (Stripe's, or the local processor's). A checkout left open is resumed, not doubled.
 */
export function CheckoutPanel({
  course,
  pending,
  cancelled,
}: {
  course: Course;
  /** The person's enrollment waiting for its payment, when a checkout is open. */
  pending?: EnrollmentView;
  /** Back from the provider's cancel link. */
  cancelled: boolean;
}) {
  const { t } = useTranslation("enrollment");
  const price = usePrice();
  const me = useSignedInMe();
  const checkout = useCheckout(me.user.id);
  const [cohortId, setCohortId] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  const needsCohort = course.delivery === "cohort-based" && !pending;

  const pay = () =>
    checkout.mutate(
      { courseId: course.id, cohortId: pending?.cohortId ?? cohortId ?? undefined },
      {
        onSuccess: ({ payment }) => {
          if (!payment.checkoutUrl) return;
          setLeaving(true);
          window.location.assign(payment.checkoutUrl);
        },
      },
    );

  return (
    <Stack gap="sm">
      {cancelled ? (
        <Alert color="yellow" variant="light" role="status">
          <Text size="sm" fw={600}>
            {t("payment.cancelled")}
          </Text>
        </Alert>
      ) : pending ? (
        <Text size="sm">{t("payment.unfinished")}</Text>
      ) : (
        <Text size="sm">{t("payment.body", { price: price(course) })}</Text>
      )}
      {needsCohort && <CohortChoice courseId={course.id} value={cohortId} onChange={setCohortId} />}
      {checkout.isError && <ApiErrorAlert error={checkout.error} />}
      <Button
        onClick={pay}
        loading={checkout.isPending || leaving}
        disabled={needsCohort && !cohortId}
      >
        {cancelled
          ? t("payment.retry")
          : pending
            ? t("payment.resume")
            : t("payment.pay", { price: price(course) })}
      </Button>
      <Text size="xs" c="dimmed">
        {t("payment.redirect")}
      </Text>
    </Stack>
  );
}

/**
 * Back from a successful payment, before the provider's notice has enrolled the person: a
 * pending state while the page polls, then (`late`) a way to check again.
 */
export function PaymentConfirming({
  late,
  onCheckAgain,
}: {
  late: boolean;
  onCheckAgain: () => void;
}) {
  const { t } = useTranslation("enrollment");
  if (late) {
    return (
      <Alert color="yellow" variant="light" role="status">
        <Stack gap="xs">
          <Text size="sm">{t("payment.late")}</Text>
          <Button size="xs" variant="outline" w="fit-content" onClick={onCheckAgain}>
            {t("payment.checkAgain")}
          </Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="blue" variant="light" role="status">
      <Group gap="sm" wrap="nowrap">
        <Loader size="sm" aria-hidden />
        <Text size="sm">{t("payment.confirming")}</Text>
      </Group>
    </Alert>
  );
}

/** Waits for the provider's notice, then says it is late (the page then stops polling). */
export function useConfirmWait(waiting: boolean): boolean {
  const [late, setLate] = useState(false);
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setLate(true), CONFIRM_WAIT_MS);
    return () => clearTimeout(timer);
  }, [waiting]);
  return late;
}

/** Back from a successful payment, and enrolled. */
export function PaymentReceived() {
  const { t } = useTranslation("enrollment");
  return (
    <Alert color="teal" variant="light" role="status">
      <Text size="sm" fw={600}>
        {t("payment.received")}
      </Text>
    </Alert>
  );
}
