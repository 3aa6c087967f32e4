import { Center, Loader, VisuallyHidden } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiErrorAlert } from "./ApiErrorAlert";
import { DelayedMount } from "./DelayedMount";

/** A spinner announced to screen readers, shown only when loading takes a moment. */
export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <DelayedMount>
      <Center py="xl" role="status" aria-live="polite">
        <Loader aria-hidden size="md" />
        <VisuallyHidden>{label ?? t("state.loading")}</VisuallyHidden>
      </Center>
    </DelayedMount>
  );
}

/**
 * Renders a query's four states explicitly: pending (the given skeleton, else a delayed
 * spinner), error (message, request id, retry), empty and data. A refetch keeps showing
 * the data it has.
 */
export function PageState<T>({
  query,
  pending,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  pending?: ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return pending ?? <Loading />;
  if (query.isError)
    return <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data) && empty) return empty;
  return children(query.data);
}
