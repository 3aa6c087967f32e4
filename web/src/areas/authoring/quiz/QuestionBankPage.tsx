import { Anchor, Badge, Button, FileInput, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { BANK_PAGE_SIZE, type BankQuery, useBank, useBankImport } from "../../../api/questionBank";
import { OrganizationSelect, useChosenOrganization } from "../../../app/OrganizationChoice";
import { useSignedInMe } from "../../../app/RequireAuth";
import { ApiErrorAlert } from "../../../ui/ApiErrorAlert";
import { FilterRow } from "../../../ui/FilterRow";
import { FilterSelect } from "../../../ui/FilterSelect";
import { PagedList } from "../../../ui/PagedList";
import { SearchFilter } from "../../../ui/SearchFilter";
import { usePageParams } from "../../../ui/usePageParams";
import { usePageTitle } from "../../../ui/usePageTitle";
import { type ImportFile, importRequest } from "./bankImport";
import { QUESTION_TYPES } from "./questionDraft";

const DIFFICULTIES = ["easy", "medium", "hard"] as const;

/**
 * An organization's question bank (`/teaching/question-bank?org=…`): its questions searched and
 * filtered by type and difficulty in the URL, and imports from a Lyceum JSON export or QTI 3.0
 * item files, each item's result listed (stored, or refused with its problem).
 */
export function QuestionBankPage() {
  const { t } = useTranslation("authoring");
  usePageTitle(t("bank.title"));
  const choice = useChosenOrganization("assessments:manage");
  const orgId = choice.chosen?.organization.id ?? "";
  return (
    <Stack gap="md" maw={1100}>
      <Anchor component={Link} to="/teaching" w="fit-content">
        {t("editor.back")}
      </Anchor>
      <Title order={1}>{t("bank.title")}</Title>
      {!orgId ? (
        <Text>{t("bank.noOrganization")}</Text>
      ) : (
        <>
          <OrganizationSelect choice={choice} />
          <Text c="dimmed">{t("bank.intro")}</Text>
          <BankList key={orgId} orgId={orgId} />
          <BankImport key={`import-${orgId}`} orgId={orgId} />
        </>
      )}
    </Stack>
  );
}

function BankList({ orgId }: { orgId: string }) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const params = usePageParams();
  const search = (params.get("q") ?? "").trim();
  const type = QUESTION_TYPES.find((x) => x === params.get("type"));
  const difficulty = DIFFICULTIES.find((x) => x === params.get("difficulty"));
  const query: BankQuery = {
    page: params.page,
    limit: BANK_PAGE_SIZE,
    sort: "newest",
    ...(search ? { search } : {}),
    ...(type ? { type } : {}),
    ...(difficulty ? { difficulty } : {}),
  };
  const bank = useBank(me.user.id, orgId, query);
  return (
    <Stack gap="sm" component="section" aria-labelledby="bank-list">
      <Title order={2} id="bank-list">
        {t("bank.questions")}
      </Title>
      <FilterRow>
        <SearchFilter label={t("bank.search")} w={{ base: "100%", xs: 260 }} />
        <FilterSelect
          label={t("bank.type")}
          any={t("bank.anyType")}
          options={QUESTION_TYPES.map((x) => ({ value: x, label: t(`questionTypes.${x}`) }))}
          value={type ?? null}
          onChange={(value) => params.set("type", value)}
          w={{ base: "100%", xs: 220 }}
        />
        <FilterSelect
          label={t("bank.difficulty")}
          any={t("bank.anyDifficulty")}
          options={DIFFICULTIES.map((x) => ({ value: x, label: t(`difficulties.${x}`) }))}
          value={difficulty ?? null}
          onChange={(value) => params.set("difficulty", value)}
          w={{ base: "100%", xs: 180 }}
        />
      </FilterRow>
      <PagedList
        query={bank}
        page={params.page}
        onPage={(page) => params.set("page", String(page))}
        empty={{ title: t("bank.emptyTitle"), reason: t("bank.emptyReason"), headingLevel: 3 }}
        count={(total) => t("bank.count", { count: total })}
      >
        {(items) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("bank.question")}</Table.Th>
                  <Table.Th>{t("bank.type")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("bank.difficulty")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("bank.used")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((q) => (
                  <Table.Tr key={q.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Text fw={500}>{q.title}</Text>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {String(q.question.text ?? "")}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="outline" color="blue.9">
                        {t(`questionTypes.${q.type}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {q.difficulty ? t(`difficulties.${q.difficulty}`) : "—"}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{q.usageCount}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PagedList>
    </Stack>
  );
}

function BankImport({ orgId }: { orgId: string }) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const run = useBankImport(me.user.id, orgId);
  const [files, setFiles] = useState<File[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const rows =
    run.data?.kind === "json"
      ? run.data.result.results.map((r) => ({
          key: String(r.index),
          item: t("bank.itemNumber", { n: r.index + 1 }),
          error: r.error?.message ?? null,
        }))
      : run.data?.kind === "qti"
        ? run.data.result.results.map((r) => ({
            key: `${r.document}-${r.identifier ?? ""}`,
            item: r.title ?? r.identifier ?? files[r.document]?.name ?? String(r.document + 1),
            error: r.error?.message ?? null,
          }))
        : [];
  return (
    <Stack gap="sm" component="section" aria-labelledby="bank-import">
      <Title order={2} id="bank-import">
        {t("bank.import")}
      </Title>
      <Text size="sm">{t("bank.importHint")}</Text>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setProblem(null);
          const read: ImportFile[] = await Promise.all(
            files.map(async (f) => ({ name: f.name, text: await f.text() })),
          );
          const request = importRequest(read);
          if ("problem" in request) {
            setProblem(t(`bank.problems.${request.problem}`, { name: request.name ?? "" }));
            return;
          }
          run.mutate(request);
        }}
      >
        <Group gap="sm" align="flex-end" wrap="wrap">
          <FileInput
            label={t("bank.files")}
            multiple
            accept=".json,.xml,application/json,application/xml,text/xml"
            value={files}
            onChange={setFiles}
            clearable
            clearButtonProps={{ "aria-label": t("bank.clearFiles") }}
            w={{ base: "100%", xs: 360 }}
          />
          <Button type="submit" loading={run.isPending} disabled={files.length === 0}>
            {t("bank.importButton")}
          </Button>
        </Group>
      </form>
      {problem && (
        <Text c="red.9" role="alert">
          {problem}
        </Text>
      )}
      {run.error && <ApiErrorAlert error={run.error} />}
      {run.data && (
        <Stack gap="xs">
          <Text role="status">
            {t("bank.imported", {
              imported: run.data.result.imported,
              refused: run.data.result.refused,
            })}
          </Text>
          <Table.ScrollContainer minWidth={0}>
            <Table aria-label={t("bank.results")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("bank.item")}</Table.Th>
                  <Table.Th>{t("bank.result")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.key}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>{row.item}</Table.Td>
                    <Table.Td>
                      {row.error ? (
                        <Text size="sm" c="red.9">
                          {t("bank.refused", { reason: row.error })}
                        </Text>
                      ) : (
                        <Text size="sm">{t("bank.stored")}</Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
    </Stack>
  );
}
