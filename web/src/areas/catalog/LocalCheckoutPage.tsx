import { Anchor, Button, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { useCourse } from "../../api/catalog";
import { type Payment, usePayment, useSimulatePayment } from "../../api/enrollment";
import { ApiError } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";

/** The course's title, else nothing (the payment names the course by id). */
function CourseTitle({ courseId }: { courseId: string }) {
  const me = useSignedInMe();
  const course = useCourse(me.user.id, courseId);
  if (course.isPending) return <Skeleton height={18} width={220} />;
  return <Text fw={600}>{course.data?.course.title ?? "—"}</Text>;
}

/**
 * Sends the payer back as Stripe's hosted checkout would: to the return address the checkout
 * was opened with (`{CHECKOUT_SESSION_ID}` filled in), else to the course page. The server
 * accepts only addresses of the site itself; one of this app's origin opens in place, one of
 * the site's public address (when the app is reached by another name) by a full navigation.
 */
function useReturn(payment: Payment) {
  const navigate = useNavigate();
  const [leaving, setLeaving] = useState(false);
  const go = (outcome: "success" | "cancelled") => {
    const fallback = `/courses/${payment.courseId}?payment=${outcome}`;
    const chosen = outcome === "success" ? payment.successUrl : payment.cancelUrl;
    let target: URL | null = null;
    try {
      target = chosen
        ? new URL(
            chosen.replaceAll("{CHECKOUT_SESSION_ID}", payment.checkoutId ?? ""),
            window.location.href,
          )
        : null;
    } catch {
      target = null;
    }
    if (!target || (target.protocol !== "http:" && target.protocol !== "https:")) {
      void navigate(fallback);
    } else if (target.origin === window.location.origin) {
      void navigate(target.pathname + target.search + target.hash);
    } else {
      setLeaving(true);
      window.location.assign(target.href);
    }
  };
  return { go, leaving };
}

function Checkout({ payment }: { payment: Payment }) {
  const { t } = useTranslation("enrollment");
  const format = useFormat();
  const me = useSignedInMe();
  const simulate = useSimulatePayment(me.user.id);
  const back = useReturn(payment);
  const course = `/courses/${payment.courseId}`;
  const amount = format.money(payment.amount, payment.currency);
  const open = payment.status === "pending";
  return (
    <Paper withBorder p="lg" radius="md" maw={560}>
      <Stack gap="md">
        <Text size="sm">{t("checkout.intro")}</Text>
        <dl className="facts">
          <dt>{t("checkout.course")}</dt>
          <dd>
            <CourseTitle courseId={payment.courseId} />
          </dd>
          <dt>{t("checkout.amount")}</dt>
          <dd>
            <Text fw={700}>{amount}</Text>
          </dd>
        </dl>
        {!open && (
          <Text size="sm" role="status">
            {t("checkout.done")}{" "}
            {t("checkout.status", { status: t(`checkout.statuses.${payment.status}`) })}
          </Text>
        )}
        {simulate.isError && <ApiErrorAlert error={simulate.error} />}
        {open ? (
          <Group gap="sm">
            <Button
              loading={simulate.isPending || back.leaving}
              onClick={() =>
                simulate.mutate(
                  { paymentId: payment.id, courseId: payment.courseId, outcome: "paid" },
                  { onSuccess: () => back.go("success") },
                )
              }
            >
              {t("checkout.pay", { price: amount })}
            </Button>
            <Button
              variant="default"
              disabled={simulate.isPending || back.leaving}
              onClick={() => back.go("cancelled")}
            >
              {t("checkout.cancel")}
            </Button>
          </Group>
        ) : (
          <Anchor component={Link} to={course}>
            {t("checkout.back")}
          </Anchor>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * The local card processor's checkout (development and demo sites): where the checkout URL of
 * `PAYMENT_PROVIDER=local` leads. Paying settles it through POST /payments/{id}/simulate, the
 * same signed-event path as Stripe's webhook; paying and cancelling return to the payment's
 * success and cancel addresses as Stripe would.
 */
export function LocalCheckoutPage() {
  const { t } = useTranslation("enrollment");
  usePageTitle(t("checkout.title"));
  const { paymentId = "" } = useParams();
  const me = useSignedInMe();
  const payment = usePayment(me.user.id, paymentId);
  const missing =
    payment.error instanceof ApiError &&
    (payment.error.status === 404 || payment.error.status === 400);
  return (
    <Stack gap="md">
      <Title order={1}>{missing ? t("checkout.notFoundTitle") : t("checkout.title")}</Title>
      {missing ? (
        <Text>{t("checkout.notFoundBody")}</Text>
      ) : (
        <PageState query={payment} pending={<Skeleton height={200} radius="md" maw={560} />}>
          {(data) => <Checkout payment={data} />}
        </PageState>
      )}
    </Stack>
  );
}
