import {
  Anchor,
  Badge,
  Button,
  Fieldset,
  Group,
  Modal,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { schemaResolver, useForm } from "@mantine/form";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { KIT_TYPES, type KitItem, type KitType, useKit, useKitChange } from "../../api/community";
import { ApiError } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";

/** Limits of POST /courses/{id}/kit-items. */
const TITLE_MAX = 255;
const URL_MAX = 2000;
const DESCRIPTION_MAX = 2000;

/**
 * A course's enablement kit, in its order: slides, prompt packs, templates, chatbots and
 * worksheets its learners get beside the lessons, each a link with a description. Items are
 * added and changed in a dialog and removed after a confirmation.
 */
export function KitPanel({ courseId }: { courseId: string }) {
  const { t } = useTranslation("cohorts");
  const me = useSignedInMe();
  const kit = useKit(me.user.id, courseId);
  const { save, remove } = useKitChange(me.user.id, courseId);
  const [done, setDone] = useState("");
  const [editing, setEditing] = useState<KitItem | "new" | null>(null);
  const [removing, setRemoving] = useState<KitItem | null>(null);
  const open = (item: KitItem | "new") => {
    save.reset();
    setEditing(item);
  };
  return (
    <Stack gap="sm" component="section" aria-labelledby="kit-heading">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Title order={2} id="kit-heading">
          {t("kit.title")}
        </Title>
        <Button onClick={() => open("new")}>{t("kit.new")}</Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t("kit.intro")}
      </Text>
      <Text size="sm" role="status" aria-live="polite">
        {done}
      </Text>
      {remove.error && !removing && <ApiErrorAlert error={remove.error} />}
      <PageState
        query={kit}
        pending={<Skeleton height={160} radius="md" />}
        isEmpty={(items) => items.length === 0}
        empty={
          <EmptyState headingLevel={3} title={t("kit.emptyTitle")} reason={t("kit.emptyReason")} />
        }
      >
        {(items) => (
          <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
            {items.map((item) => (
              <Paper component="li" key={item.id} withBorder p="sm" radius="md">
                <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
                  <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
                    <Group gap="xs" wrap="wrap">
                      <Anchor
                        href={item.url}
                        target="_blank"
                        rel="noreferrer"
                        fw={600}
                        style={{ overflowWrap: "anywhere" }}
                      >
                        {item.title}
                      </Anchor>
                      <Badge variant="outline" color="indigo.9">
                        {t(`kit.types.${item.type}`)}
                      </Badge>
                    </Group>
                    {item.description && (
                      <Text size="sm" style={{ whiteSpace: "pre-line" }}>
                        {item.description}
                      </Text>
                    )}
                  </Stack>
                  <Group
                    gap="xs"
                    role="group"
                    aria-label={t("kit.actionsFor", { title: item.title })}
                  >
                    <Button size="xs" variant="default" onClick={() => open(item)}>
                      {t("kit.edit")}
                    </Button>
                    <Button
                      size="xs"
                      variant="outline"
                      color="red.9"
                      onClick={() => {
                        remove.reset();
                        setRemoving(item);
                      }}
                    >
                      {t("kit.remove")}
                    </Button>
                  </Group>
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
      </PageState>
      {editing && (
        <KitDialog
          item={editing === "new" ? null : editing}
          save={save}
          onClose={() => setEditing(null)}
          onSaved={(item) => {
            setEditing(null);
            setDone(t(editing === "new" ? "kit.added" : "kit.saved", { title: item.title }));
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={t("kit.removeTitle", { title: removing.title })}
          text={t("kit.removeText")}
          confirm={t("kit.remove")}
          busy={remove.isPending}
          onClose={() => setRemoving(null)}
          onConfirm={() =>
            remove.mutate(removing.id, {
              onSuccess: () => setDone(t("kit.removed", { title: removing.title })),
              onSettled: () => setRemoving(null),
            })
          }
        />
      )}
    </Stack>
  );
}

interface KitValues {
  title: string;
  type: KitType;
  url: string;
  description: string;
}

/** Adds a kit item or changes one (only what changed is sent). */
function KitDialog({
  item,
  save,
  onClose,
  onSaved,
}: {
  item: KitItem | null;
  save: ReturnType<typeof useKitChange>["save"];
  onClose: () => void;
  onSaved: (item: KitItem) => void;
}) {
  const { t } = useTranslation("cohorts");
  const schema = useMemo(
    () =>
      z.object({
        title: z
          .string()
          .trim()
          .min(1, t("form.required"))
          .max(TITLE_MAX, t("form.tooLong", { max: TITLE_MAX })),
        type: z.enum(KIT_TYPES),
        url: z
          .string()
          .trim()
          .min(1, t("form.required"))
          .max(URL_MAX)
          .refine((value) => z.url().safeParse(value).success, t("form.urlInvalid")),
        description: z
          .string()
          .trim()
          .max(DESCRIPTION_MAX, t("form.tooLong", { max: DESCRIPTION_MAX })),
      }),
    [t],
  );
  const form = useForm<KitValues>({
    initialValues: {
      title: item?.title ?? "",
      type: item?.type ?? "slides",
      url: item?.url ?? "",
      description: item?.description ?? "",
    },
    validate: schemaResolver(schema, { sync: true }),
  });
  const failure = save.error instanceof ApiError ? save.error : null;
  const onField = !!failure?.field && failure.field in form.getValues();
  const close = () => !save.isPending && onClose();
  return (
    <Modal
      opened
      onClose={close}
      title={item ? t("kit.editTitle", { title: item.title }) : t("kit.newTitle")}
      closeOnClickOutside={!save.isPending}
      closeButtonProps={{ "aria-label": t("form.cancel") }}
    >
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          const body = {
            title: values.title.trim(),
            type: values.type,
            url: values.url.trim(),
            description: values.description.trim() || null,
          };
          const patch = item
            ? Object.fromEntries(
                Object.entries(body).filter(([key, value]) => item[key as keyof KitItem] !== value),
              )
            : body;
          if (item && Object.keys(patch).length === 0) {
            onClose();
            return;
          }
          save.mutate(item ? { kitItemId: item.id, body: patch } : { kitItemId: null, body }, {
            onSuccess: onSaved,
            onError: (error) => {
              if (error instanceof ApiError && error.field && error.field in form.getValues())
                form.setFieldError(error.field, errorMessage(t, error));
            },
          });
        })}
      >
        <Fieldset variant="unstyled" disabled={save.isPending}>
          <Stack gap="sm">
            <TextInput
              label={t("kit.itemTitle")}
              required
              maxLength={TITLE_MAX}
              data-autofocus
              {...form.getInputProps("title")}
            />
            <Select
              label={t("kit.type")}
              required
              data={KIT_TYPES.map((type) => ({ value: type, label: t(`kit.types.${type}`) }))}
              allowDeselect={false}
              {...form.getInputProps("type")}
            />
            <TextInput
              type="url"
              label={t("kit.url")}
              description={t("kit.urlHint")}
              required
              maxLength={URL_MAX}
              {...form.getInputProps("url")}
            />
            <Textarea
              label={t("kit.description")}
              autosize
              minRows={2}
              maxLength={DESCRIPTION_MAX}
              {...form.getInputProps("description")}
            />
            {save.error && !onField && <ApiErrorAlert error={save.error} />}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                {t("form.cancel")}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {item ? t("form.save") : t("kit.add")}
              </Button>
            </Group>
          </Stack>
        </Fieldset>
      </form>
    </Modal>
  );
}
