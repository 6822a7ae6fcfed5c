import { sha256Hex } from './digest.js';

/**
 * The shortest per-site salt accepted, in characters. A shorter secret makes hashed emails and
 * the pseudonymous id guessable by anyone who can enumerate the inputs.
 */
export const MIN_SALT_LENGTH = 16;

/** Hex characters of the pseudonymous visitor id (128 bits). */
const ANONYMOUS_ID_LENGTH = 32;

/**
 * Hashes `text` with the site's `salt` and returns 64 hex characters: SHA-256 of the salt, a NUL
 * separator and the text. The separator keeps `("ab", "c")` and `("a", "bc")` apart. Minimised
 * `hash` fields and the pseudonymous id both use it.
 */
export function saltedHash(salt: string, text: string): Promise<string> {
  return sha256Hex(`${salt}\u0000${text}`);
}

/**
 * Derives the pseudonymous visitor id from the first receipt of the visitor's consent history and
 * returns it (32 hex characters). It is never stored on its own, is stable until the visitor
 * erases everything (which starts a new history), and the tracker's erasure request names it.
 */
export async function anonymousId(salt: string, firstReceiptId: string): Promise<string> {
  return (await saltedHash(salt, firstReceiptId)).slice(0, ANONYMOUS_ID_LENGTH);
}
