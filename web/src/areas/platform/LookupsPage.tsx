import {
  Badge,
  Button,
  Group,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useLookupChange, useLookupValues } from "../../api/platform";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { EmptyState } from "../../ui/EmptyState";
import { keyFromName } from "../../ui/keys";
import { PageState } from "../../ui/PageState";
import { usePageParams } from "../../ui/usePageParams";
import { PlatformFrame } from "./PlatformFrame";

/** The categories of extensible values the platform keeps (seed 000 §3.2.2; events/reference.ts). */
const CATEGORIES = [
  "activity-event",
  "report-type",
  "report-status",
  "report-priority",
  "report-visibility",
  "dimension-entity",
  "measure-type",
  "output-format",
] as const;

/**
 * Platform-wide lookup values (`/platform/lookups`): a category's values, active or not,
 * with new ones added and values deactivated or reactivated (never deleted: stored rows keep
 * naming them).
 */
export function LookupsPage() {
  const { t } = useTranslation("platform");
  return (
    <PlatformFrame title={t("lookups.title")} permission="lookup-values:manage">
      <Lookups />
    </PlatformFrame>
  );
}

function Lookups() {
  const { t } = useTranslation("platform");
  const me = useSignedInMe();
  const params = usePageParams();
  const category = CATEGORIES.find((c) => c === params.get("category")) ?? CATEGORIES[0];
  const values = useLookupValues(me.user.id, category);
  const change = useLookupChange(me.user.id);
  const [displayAs, setDisplayAs] = useState("");
  const [key, setKey] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const shownKey = key ?? keyFromName(displayAs);
  return (
    <Stack gap="sm" component="section" aria-labelledby="lookups-heading">
      <Select
        label={t("lookups.category")}
        data={CATEGORIES.map((c) => ({ value: c, label: c }))}
        value={category}
        allowDeselect={false}
        onChange={(value) => params.set("category", value)}
        w={{ base: "100%", xs: 260 }}
      />
      <Title order={2} id="lookups-heading">
        {t("lookups.heading", { category })}
      </Title>
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      {change.error && <ApiErrorAlert error={change.error} />}
      <PageState
        query={values}
        pending={<Skeleton height={200} radius="md" />}
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState
            title={t("lookups.emptyTitle")}
            reason={t("lookups.emptyReason")}
            headingLevel={3}
          />
        }
      >
        {(data) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("lookups.value")}</Table.Th>
                  <Table.Th>{t("lookups.state")}</Table.Th>
                  <Table.Th>{t("actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((v) => (
                  <Table.Tr key={v.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Text fw={500}>{v.displayAs}</Text>
                      <Text size="xs" c="dimmed">
                        {v.key}
                        {v.isSystem ? ` · ${t("lookups.builtIn")}` : ""}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="outline" color={v.isActive ? "teal.9" : "gray.8"}>
                        {v.isActive ? t("lookups.active") : t("lookups.inactive")}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="default"
                        disabled={change.isPending}
                        aria-label={t(
                          v.isActive ? "lookups.deactivateFor" : "lookups.activateFor",
                          {
                            name: v.displayAs,
                          },
                        )}
                        onClick={() => {
                          setDone(null);
                          change.mutate(
                            { kind: "active", id: v.id, isActive: !v.isActive },
                            {
                              onSuccess: () =>
                                setDone(
                                  t(v.isActive ? "lookups.deactivated" : "lookups.activated", {
                                    name: v.displayAs,
                                  }),
                                ),
                            },
                          );
                        }}
                      >
                        {v.isActive ? t("lookups.deactivate") : t("lookups.activate")}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PageState>
      <form
        aria-labelledby="new-lookup-heading"
        onSubmit={(event) => {
          event.preventDefault();
          setDone(null);
          const name = displayAs.trim();
          change.mutate(
            { kind: "add", category, key: shownKey, displayAs: name, description: null },
            {
              onSuccess: () => {
                setDone(t("lookups.added", { name }));
                setDisplayAs("");
                setKey(null);
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <Title order={3} size="h4" id="new-lookup-heading">
            {t("lookups.new")}
          </Title>
          <Group align="flex-end" wrap="wrap" gap="sm">
            <TextInput
              label={t("lookups.displayAs")}
              required
              maxLength={200}
              value={displayAs}
              onChange={(event) => setDisplayAs(event.currentTarget.value)}
              w={{ base: "100%", xs: 240 }}
            />
            <TextInput
              label={t("lookups.key")}
              required
              maxLength={100}
              value={shownKey}
              onChange={(event) => setKey(event.currentTarget.value)}
              w={{ base: "100%", xs: 240 }}
            />
            <Button type="submit" loading={change.isPending}>
              {t("lookups.add")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
