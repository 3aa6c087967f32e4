import { Group, Text, VisuallyHidden } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

/** Shares of the whole time at which the time left is announced (and the clock turns colour). */
const THRESHOLDS = [0.2, 0.05] as const;

function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const mm = String(minutes).padStart(hours ? 2 : 1, "0");
  const ss = String(rest).padStart(2, "0");
  return hours ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * The time left of an attempt, counted from the server's own `secondsLeft` as of the moment
 * that answer arrived (`syncedAt`, this browser's clock), never from a deadline compared with
 * this computer's clock. Each new answer from the server (every save, and a poll) re-syncs it.
 * Screen readers hear the time left when it passes 20% and 5% of the whole, and when it is
 * up — not every tick. At zero it calls `onExpire` once.
 */
export function QuizTimer({
  secondsLeft,
  syncedAt,
  totalSeconds,
  onExpire,
}: {
  secondsLeft: number;
  syncedAt: number;
  totalSeconds: number;
  onExpire: () => void;
}) {
  const { t } = useTranslation("quiz");
  const remainingAt = (now: number) => secondsLeft - (now - syncedAt) / 1000;
  const [left, setLeft] = useState(() => remainingAt(Date.now()));
  const [announcement, setAnnouncement] = useState("");
  // Thresholds already behind when the page opened are not announced again.
  const announced = useRef(
    new Set<number>(THRESHOLDS.filter((share) => left <= share * totalSeconds)),
  );
  const expired = useRef(false);
  const expire = useRef(onExpire);
  expire.current = onExpire;

  useEffect(() => {
    const tick = () => {
      const now = secondsLeft - (Date.now() - syncedAt) / 1000;
      setLeft(now);
      if (now <= 0) {
        if (!expired.current) {
          expired.current = true;
          setAnnouncement(t("timer.up"));
          expire.current();
        }
        return;
      }
      for (const share of THRESHOLDS) {
        if (now <= share * totalSeconds && !announced.current.has(share)) {
          announced.current.add(share);
          setAnnouncement(t("timer.announce", { time: spoken(now) }));
        }
      }
    };
    const spoken = (seconds: number) =>
      seconds >= 120
        ? t("timer.minutes", { count: Math.round(seconds / 60) })
        : t("timer.seconds", { count: Math.ceil(seconds) });
    tick();
    const id = setInterval(tick, 1000);
    return () => clearInterval(id);
  }, [secondsLeft, syncedAt, totalSeconds, t]);

  const color =
    left <= THRESHOLDS[1] * totalSeconds
      ? "red.9"
      : left <= THRESHOLDS[0] * totalSeconds
        ? "orange.9"
        : undefined;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" fw={600} id="quiz-time-label">
        {t("timer.label")}
      </Text>
      <Text
        role="timer"
        aria-labelledby="quiz-time-label"
        size="lg"
        fw={700}
        c={color}
        ff="monospace"
      >
        {clock(left)}
      </Text>
      <VisuallyHidden role="status" aria-live="polite">
        {announcement}
      </VisuallyHidden>
    </Group>
  );
}
