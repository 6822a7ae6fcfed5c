/**
 * The texts of the first layer (banner and reopen button), in the locale chunk the banner needs.
 * Templates use `{name}` placeholders.
 */
export interface BannerMessages {
  /** Banner heading. */
  readonly bannerTitle: string;
  /** Banner text in opt-in mode (EU, JP, default); `{controller}` is who is asking. */
  readonly bannerOptIn: string;
  /** Banner text in opt-out mode (US-CA); `{controller}` is who is asking. */
  readonly bannerOptOut: string;
  /** Suffix after a strictly necessary purpose in the banner's list. */
  readonly alwaysOnSuffix: string;
  /** Button: every purpose on. */
  readonly acceptAll: string;
  /** Button: every purpose off; styled exactly like `acceptAll`. */
  readonly rejectAll: string;
  /** Opt-out mode button: acknowledge the notice and keep the defaults. */
  readonly acknowledge: string;
  /** Opt-out mode button: switch off every sale/share purpose. */
  readonly doNotSell: string;
  /** Button: open the preferences. */
  readonly customise: string;
  /** Shown when Global Privacy Control changed what the visitor is offered. */
  readonly gpcHonoured: string;
  /** Link text for the controller's privacy page. */
  readonly privacyPolicy: string;
  /** A choice could not be saved. */
  readonly saveFailed: string;
  /** Accessible name of the persistent button that reopens the preferences. */
  readonly reopen: string;
}

/**
 * The texts of the preferences and the privacy centre, loaded with those views. Maps translate
 * codes (legal bases, consent requirements, receipt methods, audit kinds) into plain words; a
 * code without a text is shown as is.
 */
export interface PanelMessages {
  /** Text before the contact e-mail address. */
  readonly contact: string;
  /** Preferences heading. */
  readonly preferencesTitle: string;
  /** Preferences introduction. */
  readonly preferencesIntro: string;
  /** Button: save the switches as they are. */
  readonly save: string;
  /** Button: close the dialog without a choice. */
  readonly close: string;
  /** Button: open the privacy centre. */
  readonly myData: string;
  /** Badge of a strictly necessary purpose. */
  readonly alwaysOn: string;
  /** Why a strictly necessary purpose cannot be switched off. */
  readonly requiredReason: string;
  /** Label: the data categories of a purpose. */
  readonly factData: string;
  /** Label: how long a purpose's data is kept. */
  readonly factRetention: string;
  /** Label: who receives a purpose's data. */
  readonly factRecipients: string;
  /** Label: the legal basis of a purpose. */
  readonly factBasis: string;
  /** Retention; `{n}` is a number of days. */
  readonly days: string;
  /** Recipients of a purpose whose data never leaves the device. */
  readonly deviceOnly: string;
  /** Marks a recipient that is not the site itself. */
  readonly thirdParty: string;
  /** Legal basis codes from the catalog, in plain words. */
  readonly legalBasis: Readonly<Record<string, string>>;
  /** Consent requirement codes (`none`, `opt-in`, `opt-out`), in plain words. */
  readonly requirement: Readonly<Record<string, string>>;
  /** A purpose that is switched on. */
  readonly on: string;
  /** A purpose that is switched off. */
  readonly off: string;
  /** Privacy centre heading. */
  readonly centreTitle: string;
  /** Privacy centre introduction. */
  readonly centreIntro: string;
  /** Heading: items stored on this device. */
  readonly storedTitle: string;
  /** No items stored for a purpose. */
  readonly storedEmpty: string;
  /** Expiry of an item; `{date}` is when it is deleted. */
  readonly until: string;
  /** Heading: the audit trail. */
  readonly auditTitle: string;
  /** The audit trail is empty. */
  readonly auditEmpty: string;
  /** Audit entry kinds (`allowed`, `blocked`, `sent`, `expired`, `purged`, …), in plain words. */
  readonly auditKind: Readonly<Record<string, string>>;
  /** How many records an audit entry covers; `{n}` is the number. */
  readonly records: string;
  /** Texts for reason codes the catalog has none for (such as the store's `consent-withdrawn`). */
  readonly reasons: Readonly<Record<string, string>>;
  /** Destination of an audit entry; `{destination}` is its name. */
  readonly auditTo: string;
  /** Heading: the consent receipts. */
  readonly historyTitle: string;
  /** No receipts yet. */
  readonly historyEmpty: string;
  /** One choice in a receipt; `{purpose}` is the purpose's title, `{state}` is `on` or `off`. */
  readonly choice: string;
  /** How a receipt came about (`banner`, `privacy-centre`, `api`, `signal`), in plain words. */
  readonly method: Readonly<Record<string, string>>;
  /** Button: download everything as JSON. */
  readonly exportData: string;
  /** Button: delete everything on this device. */
  readonly eraseAll: string;
  /** Confirmation after everything was deleted. */
  readonly erased: string;
  /** Deleting everything failed. */
  readonly eraseFailed: string;
  /** Button: withdraw consent for one purpose. */
  readonly withdraw: string;
  /** Accessible name of a withdraw button; `{purpose}` is the purpose's title. */
  readonly withdrawFor: string;
  /** Confirmation after a withdrawal; `{purpose}` is the purpose's title. */
  readonly withdrawn: string;
  /** More entries than listed; `{n}` is how many more. */
  readonly more: string;
  /** Data is being read. */
  readonly loading: string;
  /** Data could not be read. */
  readonly loadFailed: string;
}

/** Every text the widget shows that does not come from the policy's catalog. */
export type Messages = BannerMessages & PanelMessages;

/** Overrides for some messages; maps are merged key by key with the locale's defaults. */
export type MessageOverrides = {
  readonly [Key in keyof Messages]?: Messages[Key] extends string
    ? string
    : Readonly<Record<string, string>>;
};

/** Merges `overrides` into `base` (maps one level deep) and returns a new object. */
export function mergeMessages<T extends Partial<Messages>>(
  base: T,
  overrides: MessageOverrides | undefined,
): T {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    const current = merged[key];
    if (typeof value === 'string') merged[key] = value;
    else if (value && typeof value === 'object' && current && typeof current === 'object') {
      merged[key] = { ...current, ...value };
    }
  }
  // Every key of T is present, as `merged` started as a copy of `base`; overrides of another
  // part's keys are harmless extras.
  return merged as T;
}

/** Replaces each `{name}` in `template` by `values[name]` and returns the text. */
export function format(
  template: string,
  values: Readonly<Record<string, string | number>>,
): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? String(values[name]) : match,
  );
}

/** Returns `map[code]`, or the code itself when the map has no text for it. */
export function codeText(map: Readonly<Record<string, string>>, code: string): string {
  return Object.hasOwn(map, code) ? (map[code] ?? code) : code;
}
