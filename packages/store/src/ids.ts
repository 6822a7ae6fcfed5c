/**
 * Returns a random version 4 UUID. Uses `crypto.getRandomValues`, which unlike
 * `crypto.randomUUID` also exists outside secure contexts, where IndexedDB still works.
 */
export function newId(): string {
  let hex = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
    hex += byte.toString(16).padStart(2, '0');
  }
  // RFC 9562 §5.4: version nibble 4, variant bits 10.
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}
