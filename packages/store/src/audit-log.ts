import { AUDIT_INPUT, assertEach } from './assert-input.js';
import { newestFirst } from './export-document.js';
import type { StoreContext } from './store-context.js';
import type { AuditLog } from './store.js';

/** Creates the audit log of the store behind `ctx`. */
export function createAuditLog(ctx: StoreContext): AuditLog {
  const { settings, call, auditEntry } = ctx;
  const { now } = settings;
  return {
    append(inputs) {
      assertEach(inputs, AUDIT_INPUT, 'audit.append');
      const at = now();
      const entries = inputs.map((input) => auditEntry(input, at));
      return call('audit.append', async (backend) => {
        await backend.auditPut(entries);
        return entries;
      });
    },
    list: ({ kind, purpose, limit } = {}) =>
      call('audit.list', async (backend) => {
        const selected = (await backend.auditList(now()))
          .filter((entry) => kind === undefined || entry.kind === kind)
          .filter((entry) => purpose === undefined || entry.purpose === purpose)
          .sort(newestFirst);
        return limit === undefined ? selected : selected.slice(0, limit);
      }),
  };
}
