import { policyInput } from '@consentgate/core';
import type { ConsentRecord, PolicyInput, PolicyInputOptions, Signals } from '@consentgate/core';
import type { StoredEvent } from '@consentgate/store';

/** Where every decision of a tracker is taken: the visitor's jurisdiction, signals and clock. */
export interface DecisionContext {
  /** The visitor's jurisdiction, as resolved when the tracker started. */
  readonly jurisdiction: string;
  /** Browser privacy signals; must not throw. */
  readonly signals: () => Signals;
  readonly now: () => number;
}

/**
 * Returns the policy input for a decision taken now under `receipt`, which counts only when it
 * answers `revision`, about what `subject` names (an event, a destination, a script).
 */
export function decisionInput(
  context: DecisionContext,
  receipt?: ConsentRecord,
  revision?: string,
  subject?: Partial<Pick<PolicyInputOptions, 'now' | 'event' | 'destination' | 'script'>>,
): PolicyInput {
  return policyInput({
    now: context.now(),
    jurisdiction: context.jurisdiction,
    receipt,
    revision,
    signals: context.signals(),
    ...subject,
  });
}

/**
 * Returns the policy input for sending a stored `record` to `destination`: the one question both
 * egress decisions ask, when the record is queued and again right before it is sent.
 */
export function egressInput(
  context: DecisionContext,
  receipt: ConsentRecord | undefined,
  revision: string | undefined,
  record: StoredEvent,
  destination: string,
): PolicyInput {
  return decisionInput(context, receipt, revision, {
    destination,
    event: {
      type: 'track',
      name: record.name,
      purpose: record.purpose,
      keys: Object.keys(record.fields),
    },
  });
}
