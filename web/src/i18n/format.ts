import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Me, sessionKeys } from "../api/session";

/**
 * Dates and numbers in the page's language and, once signed in, the person's own time
 * zone (their profile's `timezone`), else the browser's.
 */
export function useFormat() {
  const { i18n } = useTranslation();
  // Read from the cache, never fetched here: pages before sign-in format too.
  const me = useQueryClient().getQueryData<Me>(sessionKeys.me());
  const locale = i18n.language;
  const timeZone = me?.user.timezone;
  const zone = timeZone ? { timeZone } : {};
  return {
    date: (iso: string) =>
      new Intl.DateTimeFormat(locale, { dateStyle: "medium", ...zone }).format(new Date(iso)),
    dateTime: (iso: string) =>
      new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", ...zone }).format(
        new Date(iso),
      ),
    /** A time of day ("10:42"), for today's events such as an autosave. */
    time: (iso: string) =>
      new Intl.DateTimeFormat(locale, { timeStyle: "short", ...zone }).format(new Date(iso)),
    /**
     * How far a moment is from now, in the page's language ("in 3 days", "yesterday", "in 5
     * hours"): days when a day or more away, else hours, else minutes.
     */
    relative: (iso: string, now: Date = new Date()) => {
      const minutes = Math.round((new Date(iso).getTime() - now.getTime()) / 60_000);
      const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
      if (Math.abs(minutes) >= 24 * 60) return relative.format(Math.round(minutes / 1440), "day");
      if (Math.abs(minutes) >= 60) return relative.format(Math.round(minutes / 60), "hour");
      return relative.format(minutes, "minute");
    },
    number: (value: number) => new Intl.NumberFormat(locale).format(value),
    /** An amount in minor units (cents) of an ISO 4217 currency, e.g. 4900 EUR as €49.00. */
    money: (minor: number, currency: string) => {
      const money = new Intl.NumberFormat(locale, { style: "currency", currency });
      const digits = money.resolvedOptions().maximumFractionDigits ?? 2;
      return money.format(minor / 10 ** digits);
    },
    /** A length of time in minutes, as hours and minutes ("2 hr, 30 min"). */
    duration: (minutes: number) => {
      const hours = Math.floor(minutes / 60);
      const rest = minutes % 60;
      const unit = (value: number, name: "hour" | "minute") =>
        new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "short" }).format(
          value,
        );
      if (hours === 0) return unit(rest, "minute");
      return rest === 0 ? unit(hours, "hour") : `${unit(hours, "hour")} ${unit(rest, "minute")}`;
    },
    /** A language's name from its tag (en, pt-BR), in the page's language. */
    languageName: (tag: string) => {
      try {
        return new Intl.DisplayNames([locale], { type: "language" }).of(tag) ?? tag;
      } catch {
        return tag;
      }
    },
    /** A percentage given as 0–100. */
    percent: (value: number) =>
      new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(
        value / 100,
      ),
    /** A file's size in bytes, in the largest fitting unit ("12 kB", "3.4 MB"). */
    fileSize: (bytes: number) => {
      const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
      let value = bytes;
      let unit = 0;
      while (value >= 1000 && unit < units.length - 1) {
        value /= 1000;
        unit += 1;
      }
      return new Intl.NumberFormat(locale, {
        style: "unit",
        unit: units[unit],
        unitDisplay: "short",
        maximumFractionDigits: unit === 0 ? 0 : 1,
      }).format(value);
    },
    /** A day of the week by its number (0 Sunday … 6 Saturday), e.g. "Monday". */
    weekday: (day: number) =>
      new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(
        new Date(Date.UTC(2023, 0, 1 + day)),
      ),
    /** A day of a month without a year (month 1–12), e.g. "1 March". */
    /** A month's name (1–12) in the page's language. */
    monthName: (month: number) =>
      new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" }).format(
        new Date(Date.UTC(2024, month - 1, 1)),
      ),
    monthDay: (month: number, day: number) =>
      new Intl.DateTimeFormat(locale, { month: "long", day: "numeric", timeZone: "UTC" }).format(
        new Date(Date.UTC(2024, month - 1, day)),
      ),
  };
}
