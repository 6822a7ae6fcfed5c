/**
 * Deletes cookies by name for the current path and every parent domain of the page's host, and
 * returns how many names were still readable before deletion. A site declares per purpose the
 * cookies its tags set, so withdrawing the purpose removes them.
 */
export function deleteCookies(
  names: readonly string[],
  doc: Document = globalThis.document,
): number {
  let found = 0;
  try {
    const present = new Set(
      doc.cookie
        .split(';')
        .map((part) => part.split('=')[0]?.trim() ?? '')
        .filter(Boolean),
    );
    const host = doc.location?.hostname ?? '';
    const labels = host.split('.');
    // "a.b.shop.example" → a.b.shop.example, b.shop.example, shop.example (never a bare TLD).
    const domains = [undefined, ...labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'))];
    for (const name of names) {
      if (present.has(name)) found += 1;
      for (const domain of domains) {
        const scope = domain && domain.includes('.') ? `; domain=${domain}` : '';
        doc.cookie = `${name}=; Max-Age=0; path=/${scope}`;
      }
    }
  } catch {
    // Sandboxed documents throw on document.cookie; there is nothing to delete there.
  }
  return found;
}
