// The receipt hash chain uses the same canonical form as the notice revision (one implementation,
// in core), so every package hashes equal data the same way.
export { canonicalJson } from '@consentgate/core';
