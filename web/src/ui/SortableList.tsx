import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { ActionIcon } from "@mantine/core";
import { type ReactNode, useRef } from "react";
import { useTranslation } from "react-i18next";

/**
 * A list the person reorders by dragging a handle, with a mouse, a finger or the keyboard
 * (Space picks an item up, the arrow keys move it, Space drops it, Escape puts it back). Every
 * step is announced in the page's language. `onReorder` gets the ids in their new order.
 */
export function SortableList<T extends { id: string }>({
  items,
  label,
  onReorder,
  disabled,
  itemElement = "div",
  children,
}: {
  items: readonly T[];
  /** `li` inside a list element (`ol`, `ul`). */
  itemElement?: "div" | "li";
  /** An item's name in announcements and on its handle. */
  label: (item: T) => string;
  onReorder: (ids: string[]) => void;
  disabled?: boolean;
  children: (item: T, handle: ReactNode) => ReactNode;
}) {
  const { t } = useTranslation();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = items.map((item) => item.id);
  const moved = useRef(false);
  const name = (id: string | number) => {
    const item = items.find((i) => i.id === id);
    return item ? label(item) : "";
  };
  const position = (id: string | number | undefined) =>
    id === undefined ? 0 : ids.indexOf(String(id)) + 1;
  const announcements: Announcements = {
    onDragStart: ({ active }) => {
      moved.current = false;
      return t("sortable.picked", {
        name: name(active.id),
        position: position(active.id),
        count: ids.length,
      });
    },
    // The item is "over" itself as soon as it is picked up: that is no move to announce, and
    // would drown the pick-up.
    onDragOver: ({ active, over }) => {
      if (!over || (!moved.current && over.id === active.id)) return undefined;
      moved.current = true;
      return t("sortable.moved", {
        name: name(active.id),
        position: position(over.id),
        count: ids.length,
      });
    },
    onDragEnd: ({ active, over }) =>
      t("sortable.dropped", {
        name: name(active.id),
        position: position(over?.id),
        count: ids.length,
      }),
    onDragCancel: ({ active }) => t("sortable.cancelled", { name: name(active.id) }),
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = ids.indexOf(String(active.id));
    const to = ids.indexOf(String(over.id));
    if (from < 0 || to < 0) return;
    onReorder(arrayMove(ids, from, to));
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        // Outside the list: a list element may hold only its items.
        container: document.body,
        announcements,
        screenReaderInstructions: { draggable: t("sortable.instructions") },
      }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy} disabled={disabled}>
        {items.map((item) => (
          <SortableItem
            key={item.id}
            id={item.id}
            label={label(item)}
            disabled={disabled}
            element={itemElement}
          >
            {(handle) => children(item, handle)}
          </SortableItem>
        ))}
      </SortableContext>
    </DndContext>
  );
}

function SortableItem({
  id,
  label,
  disabled,
  element: Element,
  children,
}: {
  id: string;
  label: string;
  disabled?: boolean;
  element: "div" | "li";
  children: (handle: ReactNode) => ReactNode;
}) {
  const { t } = useTranslation();
  const {
    attributes,
    listeners,
    setNodeRef,
    setActivatorNodeRef,
    transform,
    transition,
    isDragging,
  } = useSortable({ id, disabled });
  const handle = disabled ? null : (
    <ActionIcon
      ref={setActivatorNodeRef}
      variant="subtle"
      color="gray.8"
      aria-label={t("sortable.handle", { name: label })}
      style={{ cursor: "grab", touchAction: "none" }}
      {...attributes}
      {...listeners}
    >
      <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <circle cx="5" cy="3" r="1.5" fill="currentColor" />
        <circle cx="11" cy="3" r="1.5" fill="currentColor" />
        <circle cx="5" cy="8" r="1.5" fill="currentColor" />
        <circle cx="11" cy="8" r="1.5" fill="currentColor" />
        <circle cx="5" cy="13" r="1.5" fill="currentColor" />
        <circle cx="11" cy="13" r="1.5" fill="currentColor" />
      </svg>
    </ActionIcon>
  );
  return (
    <Element
      ref={setNodeRef}
      style={{
        transform: CSS.Transform.toString(transform),
        transition,
        position: "relative",
        zIndex: isDragging ? 2 : undefined,
        opacity: isDragging ? 0.85 : 1,
      }}
    >
      {children(handle)}
    </Element>
  );
}
