import i18next, { type BackendModule } from "i18next";
import { initReactI18next } from "react-i18next";

/** Languages with complete catalogs for the pages built so far. */
export const LANGUAGES = ["en", "de"] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = "lyceum.language";

/** Every catalog, one lazily loaded module per language and namespace (area). */
const catalogs = import.meta.glob<{ default: Record<string, unknown> }>("./*/*.ts");

const lazyCatalogs: BackendModule = {
  type: "backend",
  init() {},
  read(language, namespace, callback) {
    const load = catalogs[`./${language}/${namespace}.ts`];
    if (!load) {
      callback(new Error(`no catalog ${language}/${namespace}`), null);
      return;
    }
    load().then(
      (module) => callback(null, module.default),
      (error: unknown) => callback(error as Error, null),
    );
  },
};

export function supported(tag: string | null | undefined): Language | null {
  const base = tag?.toLowerCase().split("-")[0];
  return (LANGUAGES as readonly string[]).includes(base ?? "") ? (base as Language) : null;
}

/** The language before anyone signs in: the last one chosen here, else the browser's. */
function initialLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  return supported(stored) ?? navigator.languages.map(supported).find((l) => l !== null) ?? "en";
}

/** Switches the language and remembers the choice in this browser. */
export async function changeLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private windows may refuse storage; the choice then lasts for this page only.
  }
  await i18next.changeLanguage(language);
}

function applyToDocument(language: string) {
  document.documentElement.lang = language;
  document.documentElement.dir = i18next.dir(language);
}

i18next.on("languageChanged", applyToDocument);

export const i18nReady = i18next
  .use(lazyCatalogs)
  .use(initReactI18next)
  .init({
    lng: initialLanguage(),
    fallbackLng: "en",
    supportedLngs: [...LANGUAGES],
    ns: ["common", "errors"],
    defaultNS: "common",
    interpolation: { escapeValue: false },
    react: { useSuspense: true },
    returnNull: false,
  })
  .then(() => applyToDocument(i18next.language));

export { i18next };
