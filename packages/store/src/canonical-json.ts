/**
 * Serialises `value` as JSON with the keys of every object sorted, and returns the string, so that
 * equal data always hashes the same whatever order its keys were written in.
 *
 * Follows `JSON.stringify` otherwise (`toJSON`, `undefined` members dropped). Integer-like keys
 * come first in ascending order, as JavaScript enumerates them; that is stable across engines.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) => {
    if (member === null || typeof member !== 'object' || Array.isArray(member)) return member;
    const record = member as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, record[key]]),
    );
  });
}
