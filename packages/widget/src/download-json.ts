/** How long a download's `blob:` URL lives after the download started, in milliseconds. */
const URL_LIFETIME_MS = 60_000;

/**
 * Offers `value` as a pretty-printed JSON file named `fileName` for download and returns nothing:
 * a temporary link inside `parent` (the shadow root, so the page's own click handlers never see
 * it) is clicked and removed.
 */
export function downloadJson(value: unknown, fileName: string, parent: ParentNode): void {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = (parent.ownerDocument ?? document).createElement('a');
  link.href = url;
  link.download = fileName;
  parent.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty to start it.
  setTimeout(() => URL.revokeObjectURL(url), URL_LIFETIME_MS);
}
