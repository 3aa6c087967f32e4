import {
  Anchor,
  Button,
  Card,
  Group,
  Pagination,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import {
  type CourseListItem,
  CATALOG_DELIVERIES as DELIVERIES,
  CATALOG_LANGUAGES as LANGUAGES,
  CATALOG_LEVELS as LEVELS,
  catalogListParams as listParams,
  CATALOG_SORTS as SORTS,
  useCategories,
  useCourses,
} from "../../api/catalog";
import { PreloadLink } from "../../app/PreloadLink";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { useUrlSearchText } from "../../ui/useUrlSearchText";
import { CourseBadges, RatingText, usePrice } from "./CourseFacts";

/** The URL's filter parameters; `q` is the search. */
const FILTERS = [
  "q",
  "category",
  "level",
  "language",
  "delivery",
  "price",
  "sort",
  "page",
] as const;

function CourseCard({ course }: { course: CourseListItem }) {
  const { t } = useTranslation("catalog");
  const format = useFormat();
  const price = usePrice();
  return (
    <Card withBorder radius="md" padding="md" component="li">
      <Stack gap="xs" h="100%">
        <Title order={2} size="h4">
          <Anchor component={PreloadLink} to={`/courses/${course.id}`}>
            {course.title}
          </Anchor>
        </Title>
        <Text size="sm" c="dimmed">
          {t("course.instructor", { name: course.instructor.name })}
        </Text>
        <Text size="sm" lineClamp={3}>
          {course.subtitle ?? course.description}
        </Text>
        <CourseBadges course={course} />
        <Group justify="space-between" gap="xs" mt="auto">
          <RatingText rating={course.rating} />
          <Text size="sm" c="dimmed">
            {t("course.lessons", { count: course.lessonCount })} ·{" "}
            {format.languageName(course.language)}
          </Text>
        </Group>
        <Text fw={700}>{price(course)}</Text>
      </Stack>
    </Card>
  );
}

/** A category slug as a label: "data-science" as "Data science". */
function categoryLabel(slug: string): string {
  const words = slug.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toLocaleUpperCase() + words.slice(1);
}

/** The categories the person's catalog holds, each with its count; "Any" clears it. */
function CategoryFilter({
  value,
  onChange,
}: {
  value: string;
  onChange: (value: string | null) => void;
}) {
  const { t } = useTranslation("catalog");
  const me = useSignedInMe();
  const categories = useCategories(me.user.id);
  const options = (categories.data ?? []).map((c) => ({
    value: c.category,
    label: t("list.categoryOption", { name: categoryLabel(c.category), count: c.count }),
  }));
  // A category from a shared link that this person's catalog lacks still shows as chosen.
  if (value && !options.some((o) => o.value === value)) {
    options.push({ value, label: categoryLabel(value) });
  }
  return (
    <Select
      label={t("list.category")}
      value={value}
      onChange={onChange}
      data={[{ value: "", label: t("list.any") }, ...options]}
      allowDeselect={false}
      disabled={categories.isPending}
    />
  );
}

function CardsSkeleton() {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} aria-hidden>
      {[0, 1, 2, 3, 4, 5].map((i) => (
        <Skeleton key={i} height={220} radius="md" />
      ))}
    </SimpleGrid>
  );
}

/** The catalog: published courses the person may see, searched and filtered through the URL. */
export function CatalogPage() {
  const { t } = useTranslation("catalog");
  const format = useFormat();
  usePageTitle(t("list.title"));
  const me = useSignedInMe();
  const [search, setSearch] = useSearchParams();
  const params = listParams(search);
  const courses = useCourses(me.user.id, params);

  // The search box writes to the URL once typing pauses; the URL stays the source of truth.
  const [text, setText] = useUrlSearchText("q");

  /** Sets one filter (or clears it with null) and goes back to the first page. */
  const setFilter = (name: (typeof FILTERS)[number], value: string | null) => {
    setSearch((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(name, value);
      else next.delete(name);
      if (name !== "page") next.delete("page");
      return next;
    });
  };
  const filtered = FILTERS.some((name) => name !== "page" && name !== "sort" && search.get(name));
  const clearFilters = () => {
    setText("");
    setSearch(new URLSearchParams(), { replace: false });
  };

  const any = { value: "", label: t("list.any") };
  const pagination = courses.data?.meta?.pagination;
  return (
    <Stack gap="lg">
      <Title order={1}>{t("list.title")}</Title>
      <Stack gap="sm" role="search">
        <TextInput
          label={t("list.search")}
          placeholder={t("list.searchPlaceholder")}
          type="search"
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
        />
        <SimpleGrid cols={{ base: 2, md: 6 }}>
          <CategoryFilter
            value={search.get("category") ?? ""}
            onChange={(v) => setFilter("category", v)}
          />
          <Select
            label={t("list.level")}
            value={search.get("level") ?? ""}
            onChange={(value) => setFilter("level", value)}
            data={[any, ...LEVELS.map((v) => ({ value: v, label: t(`course.level.${v}`) }))]}
            allowDeselect={false}
          />
          <Select
            label={t("list.language")}
            value={search.get("language") ?? ""}
            onChange={(value) => setFilter("language", value)}
            data={[any, ...LANGUAGES.map((v) => ({ value: v, label: format.languageName(v) }))]}
            allowDeselect={false}
          />
          <Select
            label={t("list.delivery")}
            value={search.get("delivery") ?? ""}
            onChange={(value) => setFilter("delivery", value)}
            data={[any, ...DELIVERIES.map((v) => ({ value: v, label: t(`course.delivery.${v}`) }))]}
            allowDeselect={false}
          />
          <Select
            label={t("list.price")}
            value={search.get("price") ?? ""}
            onChange={(value) => setFilter("price", value)}
            data={[
              any,
              { value: "free", label: t("list.free") },
              { value: "paid", label: t("list.paid") },
            ]}
            allowDeselect={false}
          />
          <Select
            label={t("list.sort")}
            value={params.sort}
            onChange={(value) => setFilter("sort", value === "newest" ? null : value)}
            data={SORTS.map((v) => ({ value: v, label: t(`list.sorts.${v}`) }))}
            allowDeselect={false}
          />
        </SimpleGrid>
        {filtered && (
          <Button variant="subtle" w="fit-content" onClick={clearFilters}>
            {t("list.clearFilters")}
          </Button>
        )}
      </Stack>
      <div role="status" aria-live="polite">
        {pagination && (
          <VisuallyHidden>{t("list.results", { count: pagination.total })}</VisuallyHidden>
        )}
      </div>
      <PageState
        query={courses}
        pending={<CardsSkeleton />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          filtered ? (
            <EmptyState
              title={t("list.emptyTitle")}
              reason={t("list.emptyBody")}
              action={<Button onClick={clearFilters}>{t("list.clearFilters")}</Button>}
            />
          ) : (
            <EmptyState title={t("list.emptyCatalogTitle")} reason={t("list.emptyCatalogBody")} />
          )
        }
      >
        {(data) => (
          <Stack gap="md" style={{ opacity: courses.isPlaceholderData ? 0.6 : 1 }}>
            <SimpleGrid
              cols={{ base: 1, sm: 2, lg: 3 }}
              component="ul"
              aria-label={t("list.listLabel")}
              aria-busy={courses.isFetching}
              style={{ listStyle: "none", padding: 0, margin: 0 }}
            >
              {data.items.map((course) => (
                <CourseCard key={course.id} course={course} />
              ))}
            </SimpleGrid>
            {data.meta && data.meta.pagination.totalPages > 1 && (
              <Group justify="center" component="nav" aria-label={t("list.pagination")}>
                <Pagination
                  total={data.meta.pagination.totalPages}
                  value={data.meta.pagination.page}
                  onChange={(page) => setFilter("page", page === 1 ? null : String(page))}
                />
              </Group>
            )}
          </Stack>
        )}
      </PageState>
    </Stack>
  );
}
