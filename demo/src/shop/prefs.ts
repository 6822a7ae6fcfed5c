// The visitor's display choices for the demo: language and the jurisdiction to simulate. These are
// UI preferences the visitor set themselves, not tracking, so they live in localStorage. A link
// can set them too (`?lang=en&region=US-CA`); the parameters are then removed from the address.

/** The storefront's languages, Japanese first. */
export const LOCALES = ['ja', 'en'] as const;

/** A storefront language. */
export type Locale = (typeof LOCALES)[number];

/** The jurisdictions a visitor can try; each is a regime of the policy catalog. */
export const JURISDICTIONS = ['JP', 'EU', 'US-CA'] as const;

/** A jurisdiction the demo offers. */
export type Jurisdiction = (typeof JURISDICTIONS)[number];

/** The demo's display preferences. */
export interface Prefs {
  readonly locale: Locale;
  readonly jurisdiction: Jurisdiction;
}

const LOCALE_KEY = 'demo:locale';
const JURISDICTION_KEY = 'demo:jurisdiction';

/** Reads the preferences, applying and then removing `?lang=` and `?region=` from the URL. */
export function readPrefs(): Prefs {
  const url = new URL(location.href);
  const lang = url.searchParams.get('lang');
  const region = url.searchParams.get('region');
  if (isLocale(lang)) write(LOCALE_KEY, lang);
  if (isJurisdiction(region)) write(JURISDICTION_KEY, region);
  if (lang !== null || region !== null) {
    url.searchParams.delete('lang');
    url.searchParams.delete('region');
    history.replaceState(history.state, '', url);
  }
  const locale = read(LOCALE_KEY);
  const jurisdiction = read(JURISDICTION_KEY);
  return {
    locale: isLocale(locale) ? locale : 'ja',
    jurisdiction: isJurisdiction(jurisdiction) ? jurisdiction : 'JP',
  };
}

/** Stores a new preference and reloads, so the banner and policy start over with it. */
export function changePrefs(change: Partial<Prefs>): void {
  if (change.locale) write(LOCALE_KEY, change.locale);
  if (change.jurisdiction) write(JURISDICTION_KEY, change.jurisdiction);
  location.reload();
}

function isLocale(value: unknown): value is Locale {
  return LOCALES.includes(value as Locale);
}

function isJurisdiction(value: unknown): value is Jurisdiction {
  return JURISDICTIONS.includes(value as Jurisdiction);
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage blocked: the choice lasts for this page only.
  }
}
