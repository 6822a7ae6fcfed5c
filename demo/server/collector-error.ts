/** Why the collector could not start, as `collector/kebab-reason`. */
export const CollectorErrorCode = {
  /** An option or environment variable is not valid (an integration mistake). */
  InvalidOptions: 'collector/invalid-options',
  /** The database could not be opened, reached or migrated. */
  DatabaseUnavailable: 'collector/database-unavailable',
  /** The HTTP server could not listen (port in use, permission denied). */
  ListenFailed: 'collector/listen-failed',
} as const;

/** One of the {@link CollectorErrorCode} values. */
export type CollectorErrorCode = (typeof CollectorErrorCode)[keyof typeof CollectorErrorCode];

/**
 * An expected failure of the collector's startup, returned as a value (`{ ok: false, error }`),
 * never thrown. Carries a machine-readable `code` and the original `cause`.
 */
export class CollectorError extends Error {
  /** What went wrong. */
  readonly code: CollectorErrorCode;

  constructor(code: CollectorErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'CollectorError';
    this.code = code;
  }
}
