import "@mantine/tiptap/styles.css";
import { RichTextEditor } from "@mantine/tiptap";
import { useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useTranslation } from "react-i18next";

/**
 * A text lesson's body in a rich-text editor (Tiptap): headings, emphasis, lists, quotes,
 * code, links, rules, undo. It hands back HTML, which the server sanitizes before storing.
 * Loaded in its own chunk, only by the lesson editor. The editable area is named by the
 * visible label `labelId` points at.
 */
export default function RichTextField({
  value,
  onChange,
  labelId,
}: {
  value: string;
  onChange: (html: string) => void;
  labelId: string;
}) {
  const { t } = useTranslation("authoring");
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false } })],
    content: value,
    immediatelyRender: true,
    shouldRerenderOnTransaction: false,
    editorProps: {
      attributes: {
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": labelId,
        "data-testid": "rich-text",
      },
    },
    onUpdate: ({ editor: changed }) => onChange(changed.isEmpty ? "" : changed.getHTML()),
  });
  const labels = {
    boldControlLabel: t("rich.bold"),
    italicControlLabel: t("rich.italic"),
    strikeControlLabel: t("rich.strike"),
    codeControlLabel: t("rich.code"),
    clearFormattingControlLabel: t("rich.clear"),
    h2ControlLabel: t("rich.h2"),
    h3ControlLabel: t("rich.h3"),
    bulletListControlLabel: t("rich.bullets"),
    orderedListControlLabel: t("rich.numbers"),
    blockquoteControlLabel: t("rich.quote"),
    hrControlLabel: t("rich.rule"),
    linkControlLabel: t("rich.link"),
    unlinkControlLabel: t("rich.unlink"),
    undoControlLabel: t("rich.undo"),
    redoControlLabel: t("rich.redo"),
    linkEditorInputLabel: t("rich.linkUrl"),
    linkEditorInputPlaceholder: "https://example.com/",
    linkEditorExternalLink: t("rich.linkNewTab"),
    linkEditorInternalLink: t("rich.linkSameTab"),
    linkEditorSave: t("rich.linkSave"),
  };
  return (
    <RichTextEditor editor={editor} labels={labels}>
      <RichTextEditor.Toolbar sticky stickyOffset={0}>
        <RichTextEditor.ControlsGroup>
          <RichTextEditor.Bold />
          <RichTextEditor.Italic />
          <RichTextEditor.Strikethrough />
          <RichTextEditor.Code />
          <RichTextEditor.ClearFormatting />
        </RichTextEditor.ControlsGroup>
        <RichTextEditor.ControlsGroup>
          <RichTextEditor.H2 />
          <RichTextEditor.H3 />
        </RichTextEditor.ControlsGroup>
        <RichTextEditor.ControlsGroup>
          <RichTextEditor.BulletList />
          <RichTextEditor.OrderedList />
          <RichTextEditor.Blockquote />
          <RichTextEditor.Hr />
        </RichTextEditor.ControlsGroup>
        <RichTextEditor.ControlsGroup>
          <RichTextEditor.Link />
          <RichTextEditor.Unlink />
        </RichTextEditor.ControlsGroup>
        <RichTextEditor.ControlsGroup>
          <RichTextEditor.Undo />
          <RichTextEditor.Redo />
        </RichTextEditor.ControlsGroup>
      </RichTextEditor.Toolbar>
      <RichTextEditor.Content mih={240} />
    </RichTextEditor>
  );
}
