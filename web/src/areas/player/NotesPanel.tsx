import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import {
  type LessonProgress,
  useAddBookmark,
  useRemoveBookmark,
  useSaveNotes,
} from "../../api/player";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { useFocusKeeper } from "../../ui/useFocusKeeper";
import { clock } from "./outline";

/** The field an API error names, if it names this one. */
function fieldError(t: Parameters<typeof errorMessage>[0], error: unknown, field: string) {
  return error instanceof ApiError && error.field === field ? errorMessage(t, error) : undefined;
}

function Notes({ lessonId, visit }: { lessonId: string; visit: LessonProgress }) {
  const { t } = useTranslation("player");
  const me = useSignedInMe();
  const save = useSaveNotes(me.user.id, lessonId);
  const [notes, setNotes] = useState(visit.notes ?? "");
  const [said, setSaid] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  // Saving disables the form: focus returns to the button pressed (the notes once cleared).
  const holdFocus = useFocusKeeper(save.isPending, field);
  const submit = (value: string | null) => {
    holdFocus();
    save.mutate(value, {
      onSuccess: () => setSaid(value ? t("notes.saved") : t("notes.cleared")),
    });
  };
  const noteError = fieldError(t, save.error, "notes");
  return (
    <Stack
      gap="xs"
      component="form"
      onSubmit={(event) => {
        event.preventDefault();
        submit(notes.trim() ? notes : null);
      }}
    >
      <Title order={2} size="h4">
        {t("notes.title")}
      </Title>
      <fieldset disabled={save.isPending} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack gap="xs">
          <Textarea
            ref={field}
            label={t("notes.label")}
            description={t("notes.description")}
            value={notes}
            onChange={(event) => {
              setNotes(event.currentTarget.value);
              setSaid(null);
            }}
            autosize
            minRows={3}
            maxLength={20_000}
            error={noteError}
          />
          <Group gap="sm">
            <Button type="submit" variant="light">
              {t("notes.save")}
            </Button>
            {visit.notes && (
              <Button
                variant="subtle"
                color="red"
                onClick={() => {
                  setNotes("");
                  submit(null);
                }}
              >
                {t("notes.clear")}
              </Button>
            )}
          </Group>
        </Stack>
      </fieldset>
      {save.isError && !noteError && <ApiErrorAlert error={save.error} />}
      <Text size="sm" role="status" c="teal.8">
        {said}
      </Text>
    </Stack>
  );
}

function Bookmarks({
  lessonId,
  visit,
  media,
  timed,
}: {
  lessonId: string;
  timed: boolean;
  visit: LessonProgress;
  media: React.RefObject<HTMLMediaElement | null>;
}) {
  const { t } = useTranslation("player");
  const me = useSignedInMe();
  const add = useAddBookmark(me.user.id, lessonId);
  const remove = useRemoveBookmark(me.user.id, lessonId);
  const [note, setNote] = useState("");
  const [said, setSaid] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Adding disables the form: focus returns to the field or button that sent it.
  const holdFocus = useFocusKeeper(add.isPending);
  const noteError = fieldError(t, add.error, "note");
  const bookmarks = [...visit.bookmarks].sort((a, b) => a.position - b.position);
  return (
    <Stack gap="xs">
      <Title order={2} size="h4" ref={heading} tabIndex={-1}>
        {t("bookmarks.title")}
      </Title>
      <Stack
        gap="xs"
        component="form"
        onSubmit={(event) => {
          event.preventDefault();
          const position = Math.floor(media.current?.currentTime ?? 0);
          holdFocus();
          add.mutate(
            { position, ...(note.trim() ? { note: note.trim() } : {}) },
            {
              onSuccess: () => {
                setNote("");
                setSaid(t("bookmarks.added"));
              },
            },
          );
        }}
      >
        <fieldset disabled={add.isPending} style={{ border: 0, padding: 0, margin: 0 }}>
          <Group gap="sm" align="flex-end">
            <TextInput
              label={t("bookmarks.note")}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              maxLength={500}
              error={noteError}
              style={{ flex: "1 1 200px" }}
            />
            <Button type="submit" variant="light">
              {t("bookmarks.add")}
            </Button>
          </Group>
        </fieldset>
      </Stack>
      {add.isError && !noteError && <ApiErrorAlert error={add.error} />}
      {remove.isError && <ApiErrorAlert error={remove.error} />}
      {bookmarks.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("bookmarks.empty")}
        </Text>
      ) : (
        <Stack
          gap={4}
          component="ul"
          aria-label={t("bookmarks.listLabel")}
          style={{ listStyle: "none", padding: 0, margin: 0 }}
        >
          {bookmarks.map((bookmark) => {
            const name = bookmark.note ?? t("bookmarks.untitled");
            return (
              <Group
                key={bookmark.id}
                component="li"
                justify="space-between"
                wrap="nowrap"
                gap="xs"
              >
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                    {name}
                  </Text>
                  {timed ? (
                    <Anchor
                      component="button"
                      type="button"
                      size="xs"
                      onClick={() => {
                        if (media.current) media.current.currentTime = bookmark.position;
                      }}
                    >
                      {t("bookmarks.jump", { time: clock(bookmark.position) })}
                    </Anchor>
                  ) : null}
                </Stack>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t("bookmarks.removeLabel", { name })}
                  onClick={() => {
                    // The bookmark leaves the list at once, and its button with it: focus
                    // moves to the list's heading rather than to the page's body.
                    heading.current?.focus();
                    remove.mutate(bookmark.id, {
                      onSuccess: () => setSaid(t("bookmarks.removed")),
                    });
                  }}
                >
                  <span aria-hidden>✕</span>
                </ActionIcon>
              </Group>
            );
          })}
        </Stack>
      )}
      <Text size="sm" role="status" c="teal.8">
        {said}
      </Text>
    </Stack>
  );
}

/** The learner's own notes on the lesson and its bookmarks (with the media time where there is one). */
export function NotesPanel({
  lessonId,
  visit,
  media,
  timed,
}: {
  lessonId: string;
  /** Video and audio: bookmarks hold the media's time and jump back to it. */
  timed: boolean;
  visit: LessonProgress;
  media: React.RefObject<HTMLMediaElement | null>;
}) {
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="lg">
        <Notes lessonId={lessonId} visit={visit} />
        <Bookmarks lessonId={lessonId} visit={visit} media={media} timed={timed} />
      </Stack>
    </Paper>
  );
}
