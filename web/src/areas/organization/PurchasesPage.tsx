import { Badge, Button, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import {
  type PaymentStatus,
  type PaymentView,
  useOrganizationPayments,
  useSeatAllocations,
} from "../../api/purchases";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { FilterSelect } from "../../ui/FilterSelect";
import { LabelledPagination } from "../../ui/LabelledPagination";
import { PageState } from "../../ui/PageState";
import { usePageParams } from "../../ui/usePageParams";
import { OrganizationFrame } from "./OrganizationFrame";
import { PaymentDialog } from "./PaymentDialog";

const STATUSES: readonly PaymentStatus[] = [
  "pending",
  "completed",
  "partially-refunded",
  "refunded",
  "failed",
  "expired",
];
const STATUS_COLOR: Record<PaymentStatus, string> = {
  pending: "blue.9",
  completed: "teal.9",
  "partially-refunded": "grape.9",
  refunded: "gray.8",
  failed: "red.9",
  expired: "gray.8",
};

/**
 * What the organization bought and sold (`/organization/purchases?org=…`): its seats in
 * courses with how many are used, and the payments for its own courses, with refunds and
 * invoices recorded as paid for people with `payments:manage`.
 */
export function PurchasesPage() {
  const { t } = useTranslation("organization");
  return (
    <OrganizationFrame title={t("purchases.title")} permission="payments:read">
      {(orgId) => (
        <Stack gap="xl" mt="md">
          <Seats orgId={orgId} />
          <Payments orgId={orgId} />
        </Stack>
      )}
    </OrganizationFrame>
  );
}

function Seats({ orgId }: { orgId: string }) {
  const { t } = useTranslation("organization");
  const me = useSignedInMe();
  const format = useFormat();
  const seats = useSeatAllocations(me.user.id, orgId);
  return (
    <Stack gap="sm" component="section" aria-labelledby="seats-bought-heading">
      <Title order={2} id="seats-bought-heading">
        {t("purchases.seats")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("purchases.seatsHint")}
      </Text>
      <PageState
        query={seats}
        pending={<Skeleton height={120} radius="md" />}
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState
            title={t("purchases.noSeatsTitle")}
            reason={t("purchases.noSeatsReason")}
            headingLevel={3}
          />
        }
      >
        {(data) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("purchases.course")}</Table.Th>
                  <Table.Th>{t("purchases.seatUse")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("purchases.unitPrice")}</Table.Th>
                  <Table.Th visibleFrom="md">{t("purchases.invoice")}</Table.Th>
                  <Table.Th visibleFrom="md">{t("purchases.validUntil")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      {a.courseTitle ?? a.courseId}
                    </Table.Td>
                    <Table.Td>
                      {t("purchases.seatCount", {
                        used: format.number(a.seatsUsed),
                        purchased: format.number(a.seatsPurchased),
                        available: format.number(a.seatsAvailable),
                      })}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {a.unitPrice !== null && a.currency
                        ? format.money(a.unitPrice, a.currency)
                        : "—"}
                    </Table.Td>
                    <Table.Td visibleFrom="md">{a.invoiceReference ?? "—"}</Table.Td>
                    <Table.Td visibleFrom="md">
                      {a.validUntil ? format.date(a.validUntil) : t("purchases.noEnd")}
                    </Table.Td>
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

function Payments({ orgId }: { orgId: string }) {
  const { t } = useTranslation("organization");
  const me = useSignedInMe();
  const format = useFormat();
  const may = useOrgPermission(orgId);
  const manage = may("payments:manage");
  const [params] = useSearchParams();
  const page = Math.max(1, Number(params.get("page")) || 1);
  const status = STATUSES.find((s) => s === params.get("status")) ?? null;
  const payments = useOrganizationPayments(me.user.id, orgId, page, status);
  const [acting, setActing] = useState<{
    kind: "refund" | "mark-paid";
    payment: PaymentView;
  } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const setParam = usePageParams().set;
  return (
    <Stack gap="sm" component="section" aria-labelledby="payments-heading">
      <Title order={2} id="payments-heading">
        {t("purchases.payments")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("purchases.paymentsHint")}
      </Text>
      <FilterSelect
        label={t("purchases.status")}
        any={t("purchases.anyStatus")}
        options={STATUSES.map((s) => ({ value: s, label: t(`purchases.statusName.${s}`) }))}
        value={status}
        onChange={(value) => setParam("status", value)}
        w={{ base: "100%", xs: 240 }}
      />
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      <PageState
        query={payments}
        pending={<Skeleton height={200} radius="md" />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            title={t("purchases.noPaymentsTitle")}
            reason={t("purchases.noPaymentsReason")}
            headingLevel={3}
          />
        }
      >
        {(data) => (
          <Stack gap="sm" style={{ opacity: payments.isPlaceholderData ? 0.6 : 1 }}>
            <Table.ScrollContainer minWidth={0}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("purchases.payer")}</Table.Th>
                    <Table.Th>{t("purchases.amount")}</Table.Th>
                    <Table.Th>{t("purchases.status")}</Table.Th>
                    <Table.Th visibleFrom="md">{t("purchases.date")}</Table.Th>
                    {manage && <Table.Th>{t("purchases.actions")}</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((p) => {
                    const refundable =
                      (p.status === "completed" || p.status === "partially-refunded") &&
                      p.refundedAmount < p.amount;
                    const unpaidInvoice = p.provider === "invoice" && p.status === "pending";
                    return (
                      <Table.Tr key={p.id}>
                        <Table.Td style={{ overflowWrap: "anywhere" }}>
                          <Text size="sm" fw={500}>
                            {p.payer.name}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {p.payer.email}
                          </Text>
                          <Text size="xs">{p.course.title}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{format.money(p.amount, p.currency)}</Text>
                          {p.refundedAmount > 0 && (
                            <Text size="xs" c="dimmed">
                              {t("purchases.refunded", {
                                amount: format.money(p.refundedAmount, p.currency),
                              })}
                            </Text>
                          )}
                          <Text size="xs" c="dimmed">
                            {p.invoiceNumber
                              ? t("purchases.invoiceNumber", { number: p.invoiceNumber })
                              : t(`purchases.provider.${p.provider}`)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge color={STATUS_COLOR[p.status]} variant="filled">
                            {t(`purchases.statusName.${p.status}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td visibleFrom="md">{format.date(p.createdAt)}</Table.Td>
                        {manage && (
                          <Table.Td>
                            <Group gap={6}>
                              {refundable && (
                                <Button
                                  size="xs"
                                  variant="outline"
                                  color="red.9"
                                  aria-label={t("purchases.refundFor", { payer: p.payer.name })}
                                  onClick={() => {
                                    setDone(null);
                                    setActing({ kind: "refund", payment: p });
                                  }}
                                >
                                  {t("purchases.refund")}
                                </Button>
                              )}
                              {unpaidInvoice && (
                                <Button
                                  size="xs"
                                  variant="default"
                                  aria-label={t("purchases.markPaidFor", { payer: p.payer.name })}
                                  onClick={() => {
                                    setDone(null);
                                    setActing({ kind: "mark-paid", payment: p });
                                  }}
                                >
                                  {t("purchases.markPaid")}
                                </Button>
                              )}
                            </Group>
                          </Table.Td>
                        )}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LabelledPagination
              total={data.meta?.pagination?.totalPages ?? 1}
              value={page}
              onChange={(next) => setParam("page", String(next))}
            />
          </Stack>
        )}
      </PageState>
      {acting && (
        <PaymentDialog
          orgId={orgId}
          kind={acting.kind}
          payment={acting.payment}
          onClose={() => setActing(null)}
          onDone={(message) => {
            setActing(null);
            setDone(message);
          }}
        />
      )}
    </Stack>
  );
}
