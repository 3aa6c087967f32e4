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
    number: (value: number) => new Intl.NumberFormat(locale).format(value),
    /** A percentage given as 0–100. */
    percent: (value: number) =>
      new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(
        value / 100,
      ),
  };
}
