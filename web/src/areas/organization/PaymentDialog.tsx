import { Button, Group, Modal, NumberInput, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type PaymentView, usePaymentAction } from "../../api/purchases";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { minorDigits, toMajor, toMinor } from "../../ui/money";

/**
 * Refunds a payment (what is left of it, or less, with a reason; a full refund withdraws the
 * enrollment and frees its seat) or records an invoice as paid with its bank or PO reference.
 */
export function PaymentDialog({
  orgId,
  kind,
  payment,
  onClose,
  onDone,
}: {
  orgId: string;
  kind: "refund" | "mark-paid";
  payment: PaymentView;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation("organization");
  const me = useSignedInMe();
  const format = useFormat();
  const action = usePaymentAction(me.user.id, orgId);
  const left = payment.amount - payment.refundedAmount;
  const [amount, setAmount] = useState<number | string>(toMajor(left, payment.currency));
  const [reason, setReason] = useState("");
  const [reference, setReference] = useState("");
  const minor = toMinor(amount, payment.currency);
  const tooMuch = minor !== null && minor > left;
  const busy = action.isPending;
  const title =
    kind === "refund"
      ? t("purchases.refundTitle", { payer: payment.payer.name })
      : t("purchases.markPaidTitle", { payer: payment.payer.name });
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={title}
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      closeButtonProps={{ "aria-label": t("cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (kind === "refund") {
            if (minor === null || tooMuch) return;
            action.mutate(
              {
                kind: "refund",
                paymentId: payment.id,
                amount: minor === left ? null : minor,
                reason: reason.trim() || null,
              },
              {
                onSuccess: () =>
                  onDone(
                    t("purchases.refundDone", {
                      amount: format.money(minor, payment.currency),
                      payer: payment.payer.name,
                    }),
                  ),
              },
            );
          } else {
            action.mutate(
              { kind: "mark-paid", paymentId: payment.id, reference: reference.trim() },
              {
                onSuccess: () => onDone(t("purchases.markPaidDone", { payer: payment.payer.name })),
              },
            );
          }
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            {t("purchases.dialogWhat", {
              course: payment.course.title,
              amount: format.money(payment.amount, payment.currency),
            })}
          </Text>
          {kind === "refund" ? (
            <>
              <NumberInput
                label={t("purchases.refundAmount", { currency: payment.currency })}
                description={t("purchases.refundHint", {
                  left: format.money(left, payment.currency),
                })}
                min={0}
                decimalScale={minorDigits(payment.currency)}
                value={amount}
                onChange={setAmount}
                required
                error={
                  tooMuch
                    ? t("purchases.refundTooMuch")
                    : minor === null
                      ? t("purchases.refundInvalid")
                      : undefined
                }
                data-autofocus
              />
              <Textarea
                label={t("purchases.reason")}
                maxLength={1000}
                autosize
                minRows={2}
                value={reason}
                onChange={(event) => setReason(event.currentTarget.value)}
              />
            </>
          ) : (
            <TextInput
              label={t("purchases.reference")}
              description={t("purchases.referenceHint")}
              required
              maxLength={200}
              value={reference}
              onChange={(event) => setReference(event.currentTarget.value)}
              data-autofocus
            />
          )}
          {action.error && <ApiErrorAlert error={action.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t("cancel")}
            </Button>
            <Button type="submit" loading={busy} color={kind === "refund" ? "red.9" : undefined}>
              {kind === "refund" ? t("purchases.refundConfirm") : t("purchases.markPaidConfirm")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
