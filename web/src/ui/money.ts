/** How many minor units a currency's major unit has (2 for EUR, 0 for JPY, 3 for BHD). */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

/** An amount typed in major units ("12.5") as minor units (1250), or null when it is not one. */
export function toMinor(major: number | string, currency: string): number | null {
  const value = typeof major === "number" ? major : Number(String(major).replace(",", "."));
  if (!Number.isFinite(value) || value <= 0) return null;
  return Math.round(value * 10 ** minorDigits(currency));
}

/** Minor units as major units for an input (1250 → 12.5). */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency);
}
