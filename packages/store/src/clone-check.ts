import { ErrorCode } from '@consentgate/core';
import type { ConsentGateError } from '@consentgate/core';

import { storeError } from './store-error.js';

/** Where a value cannot be structured-cloned, and the error that says why. */
export interface CloneProblem {
  /** Dotted path to the offending member, such as `fields.callback`; empty for the value itself. */
  readonly path: string;
  /** The `DataCloneError` (or whatever reading the member threw). */
  readonly cause: unknown;
}

/**
 * Returns the first member of `value` that IndexedDB could not store, or `undefined` when it can
 * store all of it.
 *
 * Walks plain objects and arrays itself and asks `structuredClone` only about other objects
 * (dates, maps, typed arrays…): cloning every record whole would cost as much again as writing it.
 * A Proxy passes here and is refused by IndexedDB itself, which aborts the whole batch.
 */
export function findUncloneable(value: unknown): CloneProblem | undefined {
  try {
    return walk(value, '', new Set());
  } catch (cause) {
    // A getter threw while being read; IndexedDB would have hit the same.
    return { path: '', cause };
  }
}

function walk(value: unknown, path: string, seen: Set<object>): CloneProblem | undefined {
  if (typeof value === 'function' || typeof value === 'symbol') {
    return {
      path,
      cause: new DOMException(`a ${typeof value} cannot be cloned`, 'DataCloneError'),
    };
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
  seen.add(value);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value) || prototype === Object.prototype || prototype === null) {
    for (const key of Object.keys(value)) {
      const member = (value as Record<string, unknown>)[key];
      const problem = walk(member, path === '' ? key : `${path}.${key}`, seen);
      if (problem) return problem;
    }
    return undefined;
  }
  try {
    structuredClone(value);
    return undefined;
  } catch (cause) {
    return { path, cause };
  }
}

/**
 * Returns why `value` (named `what` in the message) cannot be stored, naming the offending member,
 * or `undefined` when it can. Checked before any transaction opens, so a bad value never aborts a
 * good batch midway.
 */
export function cloneProblem(value: object, what: string): ConsentGateError | undefined {
  const problem = findUncloneable(value);
  return (
    problem &&
    storeError(
      ErrorCode.StoreNotCloneable,
      `${what} is not cloneable${problem.path && ` at "${problem.path}"`}`,
      problem.cause,
    )
  );
}
