import { receiptChoices } from '@consentgate/core';
import type { Notice, NoticePurpose } from '@consentgate/core';

/** One explicit yes or no per purpose id. */
export type ConsentChoices = Readonly<Record<string, boolean>>;

/** Which first-layer or preferences button produced a set of choices. */
export type ChoicePreset = 'accept' | 'reject' | 'do-not-sell';

/** Purposes the visitor has a say in: everything but the strictly necessary. */
function optional(notice: Notice): readonly NoticePurpose[] {
  return notice.purposes.filter((purpose) => !purpose.required);
}

/**
 * Completes `choices` into what a receipt records and returns it: one boolean for every
 * non-required purpose of `notice`. A missing or non-`true` answer becomes `false`, and a locked
 * purpose (switched off by GPC) stays off whatever was asked. Core's `receiptChoices` applies the
 * rule, so the switches show exactly what the receipt will record.
 */
export function normaliseChoices(notice: Notice, choices: ConsentChoices): ConsentChoices {
  return receiptChoices(notice, choices);
}

/**
 * Returns the choices behind a button: `accept` switches every purpose on, `reject` every purpose
 * off, `do-not-sell` switches off every sale/share purpose and leaves the rest at the policy's
 * default (US-CA). Locked purposes stay as the policy says.
 */
export function presetChoices(notice: Notice, preset: ChoicePreset): ConsentChoices {
  const choices: Record<string, boolean> = {};
  for (const purpose of optional(notice)) {
    choices[purpose.id] =
      preset === 'accept' || (preset === 'do-not-sell' && !purpose.sale_share && purpose.default);
  }
  return normaliseChoices(notice, choices);
}

/**
 * Returns where the preferences switches start: the current answers when there are any;
 * otherwise all off in opt-in mode (nothing pre-ticked, stricter than the policy's `default`
 * where they differ), and the policy's `default` in opt-out mode, where the law assumes yes
 * until the visitor says no.
 */
export function initialChoices(
  notice: Notice,
  current: ConsentChoices | undefined,
): ConsentChoices {
  if (current) return normaliseChoices(notice, current);
  const choices: Record<string, boolean> = {};
  for (const purpose of optional(notice)) {
    choices[purpose.id] = notice.mode === 'opt-out' && purpose.default;
  }
  return normaliseChoices(notice, choices);
}
