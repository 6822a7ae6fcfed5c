/**
 * Posts `body` as JSON without cookies and returns the response. The `text/plain` type keeps the
 * request a CORS "simple request": no preflight round trip before each batch or erasure.
 */
export function postText(
  fetchFn: typeof fetch,
  url: string,
  body: unknown,
  init: Pick<RequestInit, 'keepalive' | 'signal'>,
): Promise<Response> {
  return fetchFn(url, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify(body),
    credentials: 'omit',
    ...init,
  });
}
