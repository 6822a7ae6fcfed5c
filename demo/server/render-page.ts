import type { CollectorStats, StoredEvent, StoredRejection } from './create-store.js';

/** What the collector's page shows. */
export interface PageData {
  readonly events: readonly StoredEvent[];
  readonly rejections: readonly StoredRejection[];
  readonly stats: CollectorStats;
  /** `null` when the policy is ready, otherwise why every event is refused. */
  readonly policyError: string | null;
  /** The policy digest in force, when the policy is ready. */
  readonly digest: string | null;
}

/** The page's stylesheet path; the page's CSP allows styles from its own origin only. */
export const STYLESHEET_PATH = '/collector.css';

/**
 * Returns the collector's status page: recent accepted events (name, purpose, fields, time) and
 * refused ones (name, purpose, reasons), labelled in Japanese and English. Every value is
 * escaped; the page has no script and refreshes itself every 5 seconds.
 */
export function renderPage(data: PageData): string {
  const { events, rejections, stats } = data;
  const policy =
    data.policyError === null
      ? `<p class="cg-ok">ポリシー有効 <span lang="en">Policy loaded</span> <code>${escapeHtml(
          data.digest ?? '',
        )}</code></p>`
      : `<p class="cg-alert">ポリシーを読み込めません。すべてのイベントを拒否しています。 <span lang="en">Policy unavailable: every event is rejected.</span> <code>${escapeHtml(
          data.policyError,
        )}</code></p>`;
  const eventRows = events.map(
    (event) => `<tr>
  <td>${escapeHtml(event.name)}</td>
  <td>${escapeHtml(event.purpose)}</td>
  <td>${Object.keys(event.properties)
    .map((key) => `<code>${escapeHtml(key)}</code>`)
    .join(' ')}</td>
  <td><code>${escapeHtml(event.anonymousId ?? event.userId ?? '')}</code></td>
  <td><time datetime="${escapeHtml(event.receivedAt)}">${escapeHtml(event.receivedAt)}</time></td>
</tr>`,
  );
  const rejectionRows = rejections.map(
    (rejection) => `<tr>
  <td>${escapeHtml(rejection.name ?? '—')}</td>
  <td>${escapeHtml(rejection.purpose ?? '—')}</td>
  <td>${rejection.reasons.map((reason) => `<code>${escapeHtml(reason)}</code>`).join(' ')}</td>
  <td><time datetime="${escapeHtml(rejection.receivedAt)}">${escapeHtml(
    rejection.receivedAt,
  )}</time></td>
</tr>`,
  );
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5">
<title>ConsentGate コレクター / Collector</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<header>
<h1>ConsentGate コレクター <span lang="en">Collector</span></h1>
${policy}
<dl class="cg-stats">
  <div><dt>受信 <span lang="en">Accepted</span></dt><dd>${stats.accepted}</dd></div>
  <div><dt>重複 <span lang="en">Duplicates</span></dt><dd>${stats.duplicates}</dd></div>
  <div><dt>拒否 <span lang="en">Rejected</span></dt><dd>${stats.rejected}</dd></div>
  <div><dt>保存中 <span lang="en">Stored events</span></dt><dd>${stats.stored.events}</dd></div>
  <div><dt>同意記録 <span lang="en">Receipts</span></dt><dd>${stats.stored.receipts}</dd></div>
  <div><dt>削除依頼 <span lang="en">Erasures</span></dt><dd>${stats.erasures}</dd></div>
</dl>
</header>
<main>
<section aria-labelledby="accepted">
<h2 id="accepted">受信したイベント <span lang="en">Accepted events</span></h2>
${table(
  ['イベント', 'Event'],
  ['目的', 'Purpose'],
  ['項目', 'Fields'],
  ['訪問者', 'Visitor'],
  ['受信日時', 'Received at'],
)(eventRows, ['まだありません。', 'Nothing yet.'])}
</section>
<section aria-labelledby="rejected">
<h2 id="rejected">拒否したイベント <span lang="en">Rejected events</span></h2>
${table(
  ['イベント', 'Event'],
  ['目的', 'Purpose'],
  ['理由', 'Reasons'],
  ['受信日時', 'Received at'],
)(rejectionRows, ['まだありません。', 'Nothing yet.'])}
</section>
</main>
</body>
</html>
`;
}

/** Returns a table builder with the given bilingual column headings. */
function table(...headings: readonly (readonly [ja: string, en: string])[]) {
  return (rows: readonly string[], empty: readonly [ja: string, en: string]): string =>
    rows.length === 0
      ? `<p class="cg-empty">${escapeHtml(empty[0])} <span lang="en">${escapeHtml(empty[1])}</span></p>`
      : `<table>
<thead><tr>${headings
          .map(
            ([ja, en]) =>
              `<th scope="col">${escapeHtml(ja)} <span lang="en">${escapeHtml(en)}</span></th>`,
          )
          .join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
