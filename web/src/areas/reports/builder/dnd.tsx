import {
  type Announcements,
  DndContext,
  type DragEndEvent,
  PointerSensor,
  pointerWithin,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { Box } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** What the palette hands over: a field or a measure type. */
export type Payload =
  | { kind: "field"; ref: string; label: string }
  | { kind: "measure"; type: string; label: string };
/** Where it may land. */
export type Zone = "columns" | "measures" | "groups" | "filters";

/**
 * Dragging from the palette onto the report's sections, with a mouse or a finger. Keyboards
 * and screen readers add the same things with the palette's buttons; the drag only repeats
 * them, so it is announced but has no keyboard sensor of its own.
 */
export function PaletteDnd({
  onDrop,
  zoneName,
  children,
}: {
  onDrop: (payload: Payload, zone: Zone) => void;
  zoneName: (zone: Zone) => string;
  children: ReactNode;
}) {
  const { t } = useTranslation("reportBuilder");
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }));
  const label = (data: unknown) => (data as Payload | undefined)?.label ?? "";
  const announcements: Announcements = {
    onDragStart: ({ active }) => t("dnd.picked", { name: label(active.data.current) }),
    onDragOver: ({ active, over }) =>
      over
        ? t("dnd.over", { name: label(active.data.current), zone: zoneName(over.id as Zone) })
        : undefined,
    onDragEnd: ({ active, over }) =>
      over
        ? t("dnd.dropped", { name: label(active.data.current), zone: zoneName(over.id as Zone) })
        : t("dnd.cancelled", { name: label(active.data.current) }),
    onDragCancel: ({ active }) => t("dnd.cancelled", { name: label(active.data.current) }),
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const payload = active.data.current as Payload | undefined;
    if (payload && over) onDrop(payload, over.id as Zone);
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={pointerWithin}
      onDragEnd={onDragEnd}
      accessibility={{ container: document.body, announcements }}
    >
      {children}
    </DndContext>
  );
}

/** A palette entry that can be dragged onto a section (its buttons do the same). */
export function Draggable({
  id,
  payload,
  children,
}: {
  id: string;
  payload: Payload;
  children: ReactNode;
}) {
  const { setNodeRef, listeners, isDragging, transform } = useDraggable({ id, data: payload });
  return (
    <Box
      ref={setNodeRef}
      {...listeners}
      data-palette={id}
      style={{
        cursor: "grab",
        touchAction: "none",
        opacity: isDragging ? 0.7 : 1,
        transform: transform ? `translate(${transform.x}px, ${transform.y}px)` : undefined,
        position: "relative",
        zIndex: isDragging ? 10 : undefined,
      }}
    >
      {children}
    </Box>
  );
}

/** A section things are dropped on, outlined while something is dragged over it. */
export function DropZone({ zone, children }: { zone: Zone; children: ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: zone });
  return (
    <Box
      ref={setNodeRef}
      data-zone={zone}
      p="xs"
      style={{
        borderRadius: 8,
        border: `2px dashed ${isOver ? "var(--mantine-color-blue-8)" : "var(--mantine-color-gray-4)"}`,
        background: isOver ? "var(--mantine-color-blue-0)" : undefined,
      }}
    >
      {children}
    </Box>
  );
}
