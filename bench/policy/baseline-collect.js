// The storefront's collect decision written by hand in plain JavaScript, from
// policies/src/consentgate/{lib,collect}/*.rego, as the baseline the compiled policy is measured
// against. The bench checks it against every golden collect case before timing it, so the ratio
// compares two implementations that give the same answers.

const DAY_MS = 86_400_000;

const has = (object, key) =>
  typeof object === 'object' && object !== null && Object.hasOwn(object, key);
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Returns a function that computes the collect decision for an input, from a parsed data.json.
 *
 * @param {{ consentgate: { catalog: any } }} data
 * @returns {(input: any) => object}
 */
export function createBaselineCollect(data) {
  const catalog = data.consentgate.catalog;
  const neverCollect = new Set(catalog.never_collect);

  return function collect(input) {
    const j = input?.jurisdiction;
    const jurisdiction =
      typeof j === 'string' && j !== 'default' && has(catalog.jurisdictions, j)
        ? j
        : typeof j === 'string' && has(catalog.jurisdiction_aliases, j)
          ? catalog.jurisdiction_aliases[j]
          : 'default';
    const rules = catalog.jurisdictions[jurisdiction];
    const gpc = input?.signals?.gpc === true;
    const choices = input?.consent?.purposes;
    const consentGiven = isObject(choices);
    const choice = (p) =>
      typeof choices === 'object' && choices !== null ? choices[p] : undefined;
    const now = input?.now;

    const denials = (p) => {
      const purpose = catalog.purposes[p];
      const requirement = has(rules.consent, p) ? rules.consent[p] : 'opt-in';
      const codes = [];
      const yes = choice(p) === true;
      const no = choice(p) === false;
      if (requirement === 'opt-in' && !yes && !no) codes.push('consent-required');
      if (requirement !== 'none' && no) codes.push('consent-declined');
      if (!consentGiven && requirement === 'opt-out') codes.push('notice-not-acknowledged');
      if (gpc && purpose.sale_share === true) codes.push('gpc-opt-out');
      return codes;
    };

    const name = typeof input?.event?.name === 'string' ? input.event.name : null;
    const schema = name !== null && has(catalog.events, name) ? catalog.events[name] : undefined;
    const rawKeys = isObject(input?.event) ? input.event.keys : undefined;
    const keys = [
      ...new Set(Array.isArray(rawKeys) ? rawKeys.filter((k) => typeof k === 'string') : []),
    ];

    const category = (k) => {
      const property = has(schema.properties, k) ? schema.properties[k] : undefined;
      if (typeof property === 'string') return property;
      return isObject(property) ? property.category : undefined;
    };
    const neverCollected = (k) =>
      has(catalog.reserved_properties, k) || neverCollect.has(category(k));
    const fieldAction = (p, k) => {
      if (neverCollected(k)) return undefined;
      const c = category(k);
      if (c === undefined || !has(catalog.purposes[p].fields, c)) return undefined;
      const raw = catalog.purposes[p].fields[c];
      let action = typeof raw === 'string' ? { action: raw } : raw;
      const generalise = schema.properties[k]?.generalise;
      if (action.action === 'keep' && generalise !== undefined) {
        action = { action: 'generalise', method: generalise };
      }
      return action.action === 'drop' ? undefined : action;
    };
    const dropReason = (k) =>
      neverCollected(k)
        ? 'never-collected'
        : category(k) === undefined
          ? 'unknown-property'
          : 'field-not-needed';

    const eventDenials = new Set();
    if (typeof now !== 'number' || now < 0) eventDenials.add('invalid-input');
    if (!Array.isArray(rawKeys)) eventDenials.add('invalid-input');
    if (!schema) eventDenials.add('unknown-event');

    const records = {};
    const denied = {};
    const reasons = new Set(eventDenials);
    if (eventDenials.size === 0) {
      for (const p of new Set(schema.purposes)) {
        const codes = has(catalog.purposes, p) ? denials(p) : ['unknown-purpose'];
        if (codes.length > 0) {
          denied[p] = [...new Set(codes)].sort();
          for (const code of denied[p]) reasons.add(`${p}:${code}`);
          continue;
        }
        const purpose = catalog.purposes[p];
        const fields = {};
        const dropped = {};
        for (const k of keys) {
          const action = fieldAction(p, k);
          if (action) fields[k] = action;
          else dropped[k] = dropReason(k);
        }
        records[p] = {
          purpose: p,
          retention_days: purpose.retention_days,
          expires_at: now + purpose.retention_days * DAY_MS,
          anonymous_id: purpose.anonymous_id,
          fields,
          dropped,
        };
      }
    }
    return {
      allow: Object.keys(records).length > 0,
      event: name,
      records,
      denied,
      reasons: [...reasons].sort(),
    };
  };
}
