// fast-check arbitraries for policy inputs, shared by the Node and Chromium property tests of
// @consentgate/policy's decision cache (cached answers must equal fresh evaluations).
import fc from 'fast-check';

const EVENTS = [
  'Checkout Started',
  'Order Completed',
  'Page Engagement',
  'Page Viewed',
  'Product Added',
  'Product Viewed',
  'Password Typed',
];
const KEYS = [
  'address',
  'email',
  'name',
  'note',
  'path',
  'postal_code',
  'price',
  'referrer',
  'revenue',
  'sku',
  'ip',
  'shoe_size',
];
const PURPOSES = ['analytics', 'marketing', 'personalization', 'essential', 'telemetry'];

/** Ways a careless caller might change an input object after asking about it. */
const MUTATIONS = [
  'choice',
  'gpc',
  'jurisdiction',
  'revision',
  'given_at',
  'consent',
  'event',
  'keys',
  'purpose',
  'destination',
  'script',
] as const;

/** One of the four decision helpers of a policy. */
export type DecisionKind = 'notice' | 'collect' | 'egress' | 'script';

/** Inputs that cover what the storefront policy reads, hostile values included. */
export const anInput: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    now: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 2 ** 45 }) },
      { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, 'yesterday', Number.NaN) },
    ),
    jurisdiction: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('EU', 'US-CA', 'JP', 'DE', 'JA', 'BR', 'default') },
      { weight: 1, arbitrary: fc.string() },
      { weight: 1, arbitrary: fc.integer() },
    ),
    signals: fc.record({ gpc: fc.oneof(fc.boolean(), fc.constant('yes')) }, { requiredKeys: [] }),
    consent: fc.record(
      {
        revision: fc.constantFrom('r1', 'r2'),
        given_at: fc.nat(),
        purposes: fc.oneof(
          fc.dictionary(
            fc.constantFrom(...PURPOSES),
            // Mostly booleans (the fast path), sometimes values only the generic path takes.
            fc.oneof(
              { weight: 8, arbitrary: fc.boolean() },
              { weight: 1, arbitrary: fc.constantFrom(null, 'true') },
            ),
          ),
          fc.constant([]),
        ),
      },
      { requiredKeys: ['purposes'] },
    ),
    event: fc.record(
      {
        type: fc.constantFrom('track', 'page'),
        name: fc.oneof(fc.constantFrom(...EVENTS), fc.integer()),
        keys: fc.oneof(
          {
            weight: 8,
            arbitrary: fc.array(fc.constantFrom(...KEYS), { maxLength: 12 }),
          },
          { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom(...KEYS), fc.constant(1))) },
          { weight: 1, arbitrary: fc.constant('sku') },
        ),
        purpose: fc.constantFrom(...PURPOSES),
      },
      { requiredKeys: ['name', 'keys'] },
    ),
    destination: fc.constantFrom('collector', 'ads', 'tracker.example'),
    script: fc.record({
      purpose: fc.constantFrom(...PURPOSES),
      src: fc.constantFrom('/vendors/ads-pixel.js', '/vendors/unknown.js'),
    }),
  },
  { requiredKeys: [] },
);

/** What one step does: ask about an input from the pool, maybe changed, maybe mutated after. */
export interface Step {
  readonly kind: DecisionKind;
  /** Which pool input (modulo the pool size). */
  readonly pick: number;
  /** With `reorder`, the time the same input is asked again at. */
  readonly now: number;
  /** Ask with the event keys shuffled and one repeated (the same input to the policy). */
  readonly reorder: boolean;
  /** Change one policy-visible field in place, after it has been asked about. */
  readonly mutate: readonly [(typeof MUTATIONS)[number], string] | null;
}

/** Steps over a pool of inputs. */
export const aStep: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<DecisionKind>('notice', 'collect', 'egress', 'script'),
  pick: fc.nat(),
  now: fc.integer({ min: 0, max: 2 ** 45 }),
  reorder: fc.boolean(),
  mutate: fc.option(fc.tuple(fc.constantFrom(...MUTATIONS), fc.constantFrom(...PURPOSES))),
});

/** Returns the input a step asks about: the pool input itself, or a reordered copy at `now`. */
export function asked(pool: Record<string, unknown>[], step: Step): Record<string, unknown> {
  const input = pool[step.pick % pool.length] as Record<string, unknown>;
  if (!step.reorder) return input;
  const event = input.event as { keys?: unknown } | undefined;
  const keys = Array.isArray(event?.keys) ? [...(event.keys as unknown[])].reverse() : event?.keys;
  if (Array.isArray(keys) && keys.length > 0) keys.push(keys[0]);
  const copy: Record<string, unknown> = { ...input, now: step.now };
  if (event) copy.event = { ...event, keys };
  return copy;
}

/** Applies a step's mutation to its pool input, in place, and returns that input (or `null`). */
export function mutate(
  pool: Record<string, unknown>[],
  step: Step,
): Record<string, unknown> | null {
  if (step.mutate === null) return null;
  const input = pool[step.pick % pool.length] as Record<string, unknown>;
  const [what, purpose] = step.mutate;
  const consent = (input.consent ??= { purposes: {} }) as Record<string, unknown>;
  const event = (input.event ??= { name: 'Page Viewed', keys: [] }) as Record<string, unknown>;
  switch (what) {
    case 'choice': {
      const current = consent.purposes;
      const purposes = (
        typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {}
      ) as Record<string, unknown>;
      // Flip an answer the visitor already gave where there is one: the change a stale cache
      // entry would hide.
      const given = purpose in purposes ? purpose : (Object.keys(purposes)[0] ?? purpose);
      purposes[given] = purposes[given] !== true;
      consent.purposes = purposes;
      break;
    }
    case 'gpc':
      input.signals = { gpc: (input.signals as { gpc?: unknown } | undefined)?.gpc !== true };
      break;
    case 'jurisdiction':
      input.jurisdiction = input.jurisdiction === 'EU' ? 'US-CA' : 'EU';
      break;
    case 'revision':
      consent.revision = `${String(consent.revision)}+`;
      break;
    case 'given_at':
      consent.given_at = Number(consent.given_at ?? 0) + 1;
      break;
    case 'consent':
      delete input.consent;
      break;
    case 'event':
      event.name = event.name === 'Checkout Started' ? 'Order Completed' : 'Checkout Started';
      break;
    case 'keys':
      event.keys = Array.isArray(event.keys) ? [...(event.keys as unknown[]), 'email'] : ['email'];
      break;
    case 'purpose':
      event.purpose = purpose;
      break;
    case 'destination':
      input.destination = input.destination === 'ads' ? 'collector' : 'ads';
      break;
    case 'script':
      input.script = { purpose, src: '/vendors/ads-pixel.js' };
      break;
  }
  return input;
}

/** A prototype that is neither `Object.prototype` nor `null`, and has no enumerable fields. */
const NOT_PLAIN: object = Object.freeze(Object.create(null) as object);

/**
 * Returns `input` as an object the policy cannot take its fast path for (its prototype is not
 * plain), so that it is serialised by the generic canonical writer: the reference to compare
 * the fast path and the cache against. JSON sees the same fields.
 */
export function viaGenericPath(input: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(NOT_PLAIN) as Record<string, unknown>, input);
}
