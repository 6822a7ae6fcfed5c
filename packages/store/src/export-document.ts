import type {
  ConsentMethod,
  ConsentRecord,
  Jurisdiction,
  Purpose,
  Signals,
} from '@consentgate/core';

import type { StoreMode } from './backend.js';
import type { AuditEntry, AuditKind, OutboxEntry, StoredEvent } from './records.js';

/**
 * Everything the store holds about the visitor, in a shape a person can read once it is
 * `JSON.stringify`-ed: what was collected, why (its purpose), until when it is kept, where it was
 * sent, the consent receipts and the audit trail. Times are ISO 8601 strings in UTC.
 */
export interface ExportDocument {
  /** Identifies the document type and its version. */
  readonly format: 'consentgate-export/1';
  /** When the export was made. */
  readonly exportedAt: string;
  /** Where the data was kept: `memory` means it is lost when the page closes. */
  readonly storage: StoreMode;
  /** Consent receipts: the one in force, and the whole history, oldest first. */
  readonly consent: {
    readonly current: ExportedReceipt | null;
    readonly history: readonly ExportedReceipt[];
  };
  /** Collected data, grouped by the purpose it serves. */
  readonly purposes: readonly ExportedPurpose[];
  /** What happened to data, newest first (metadata only). */
  readonly audit: readonly ExportedAuditEntry[];
}

/** One consent receipt in an {@link ExportDocument}. */
export interface ExportedReceipt {
  readonly id: string;
  /** When the choice was made. */
  readonly givenAt: string;
  /** The choice per purpose. */
  readonly choices: Readonly<Record<string, 'granted' | 'declined'>>;
  readonly method: ConsentMethod;
  readonly jurisdiction: Jurisdiction;
  readonly signals: Signals;
  /** The notice revision answered. */
  readonly revision: string;
  readonly policyDigest: string;
  /** SHA-256 of the previous receipt, linking the history into a chain. */
  readonly previous: string | null;
}

/** The data kept for one purpose in an {@link ExportDocument}. */
export interface ExportedPurpose {
  readonly purpose: Purpose;
  /** How many records are kept. */
  readonly records: number;
  /** When the last of them will be deleted. */
  readonly keptUntil: string;
  /** The records, soonest deleted first. */
  readonly events: readonly ExportedEvent[];
}

/** One record in an {@link ExportDocument}. */
export interface ExportedEvent {
  readonly id: string;
  /** What happened, such as `Product Viewed`. */
  readonly name: string;
  /** When it was collected. */
  readonly collectedAt: string;
  /** When it will be deleted. */
  readonly keptUntil: string;
  /** The values kept, after minimisation. */
  readonly data: Readonly<Record<string, unknown>>;
  /** The data category of each value, when known. */
  readonly categories?: Readonly<Record<string, string>>;
  /** Where it was sent, and when. */
  readonly sentTo: readonly { readonly destination: string; readonly at: string }[];
  /** Where it is waiting to be sent. */
  readonly waitingFor: readonly {
    readonly destination: string;
    readonly attempts: number;
    readonly notBefore: string;
  }[];
}

/** One audit entry in an {@link ExportDocument}. */
export interface ExportedAuditEntry {
  readonly at: string;
  readonly kind: AuditKind;
  readonly event?: string;
  readonly purpose?: string;
  readonly destination?: string;
  readonly reasons: readonly string[];
  readonly count?: number;
  readonly policyDigest?: string;
}

/** What {@link buildExport} turns into a document. */
export interface ExportInput {
  readonly now: number;
  readonly mode: StoreMode;
  readonly consent: readonly ConsentRecord[];
  readonly events: readonly StoredEvent[];
  readonly outbox: readonly OutboxEntry[];
  readonly audit: readonly AuditEntry[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Builds the {@link ExportDocument} from the store's contents and returns it. */
export function buildExport(input: ExportInput): ExportDocument {
  const receipts = input.consent.map(exportReceipt);
  const sent = new Map<string, { destination: string; at: string }[]>();
  for (const entry of input.audit) {
    if (entry.kind !== 'sent' || entry.eventId === undefined || entry.destination === undefined) {
      continue;
    }
    const key = `${entry.purpose ?? ''}\n${entry.eventId}`;
    const list = sent.get(key) ?? [];
    list.push({ destination: entry.destination, at: iso(entry.at) });
    sent.set(key, list);
  }
  const purposes = new Map<string, StoredEvent[]>();
  for (const event of input.events) {
    const list = purposes.get(event.purpose) ?? [];
    list.push(event);
    purposes.set(event.purpose, list);
  }
  return {
    format: 'consentgate-export/1',
    exportedAt: iso(input.now),
    storage: input.mode,
    consent: { current: receipts.at(-1) ?? null, history: receipts },
    purposes: [...purposes]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([purpose, events]) => {
        events.sort((a, b) => a.expiresAt - b.expiresAt);
        return {
          purpose,
          records: events.length,
          keptUntil: iso(Math.max(...events.map((event) => event.expiresAt))),
          events: events.map((event) => ({
            id: event.id,
            name: event.name,
            collectedAt: iso(event.createdAt),
            keptUntil: iso(event.expiresAt),
            data: event.fields,
            ...(event.categories && { categories: event.categories }),
            sentTo: sent.get(`${event.purpose}\n${event.id}`) ?? [],
            waitingFor: input.outbox
              .filter((entry) => entry.eventId === event.id && entry.purpose === event.purpose)
              .map((entry) => ({
                destination: entry.destination,
                attempts: entry.attempts,
                notBefore: iso(entry.nextAttemptAt),
              })),
          })),
        };
      }),
    audit: [...input.audit].sort(newestFirst).map(exportAudit),
  };
}

/** Orders audit entries newest first, ties by id. */
export function newestFirst(a: AuditEntry, b: AuditEntry): number {
  return b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function exportReceipt(record: ConsentRecord): ExportedReceipt {
  return {
    id: record.id,
    givenAt: iso(record.given_at),
    choices: Object.fromEntries(
      Object.entries(record.purposes).map(([purpose, granted]) => [
        purpose,
        granted ? 'granted' : 'declined',
      ]),
    ),
    method: record.method,
    jurisdiction: record.jurisdiction,
    signals: record.signals,
    revision: record.revision,
    policyDigest: record.policy_digest,
    previous: record.previous,
  };
}

function exportAudit(entry: AuditEntry): ExportedAuditEntry {
  const { id: _id, expiresAt: _expiresAt, eventId: _eventId, at, ...rest } = entry;
  return { at: iso(at), ...rest };
}
