import { describe, expect, it, vi } from 'vitest';

import { createEmitter } from './emitter.js';

type Events = {
  'consent:updated': [purpose: string, granted: boolean];
  'record:expired': [id: number];
};

describe(createEmitter, () => {
  it('calls each listener with the emitted arguments', () => {
    const events = createEmitter<Events>();
    const first = vi.fn();
    const second = vi.fn();
    events.on('consent:updated', first);
    events.on('consent:updated', second);

    events.emit('consent:updated', 'analytics', true);

    expect(first).toHaveBeenCalledExactlyOnceWith('analytics', true);
    expect(second).toHaveBeenCalledExactlyOnceWith('analytics', true);
  });

  it('calls listeners in subscription order', () => {
    const events = createEmitter<Events>();
    const calls: string[] = [];
    events.on('record:expired', () => calls.push('a'));
    events.on('record:expired', () => calls.push('b'));

    events.emit('record:expired', 1);

    expect(calls).toEqual(['a', 'b']);
  });

  it('calls only the listeners of the emitted event', () => {
    const events = createEmitter<Events>();
    const listener = vi.fn();
    events.on('record:expired', listener);

    events.emit('consent:updated', 'ads', false);

    expect(listener).not.toHaveBeenCalled();
  });

  it('does nothing when an event has no listeners', () => {
    const events = createEmitter<Events>();

    expect(() => events.emit('record:expired', 1)).not.toThrow();
  });

  it('stops calling a listener once it is unsubscribed', () => {
    const events = createEmitter<Events>();
    const listener = vi.fn();
    const off = events.on('record:expired', listener);

    off();
    off();
    events.emit('record:expired', 1);

    expect(listener).not.toHaveBeenCalled();
  });

  it('keeps separate subscriptions of the same function apart', () => {
    const events = createEmitter<Events>();
    const listener = vi.fn();
    const off = events.on('record:expired', listener);
    events.on('record:expired', listener);

    off();
    events.emit('record:expired', 1);

    expect(listener).toHaveBeenCalledOnce();
  });

  it('runs the remaining listeners when one throws and reports its error', () => {
    const failure = new Error('listener failed');
    const onListenerError = vi.fn();
    const events = createEmitter<Events>({ onListenerError });
    const after = vi.fn();
    events.on('record:expired', () => {
      throw failure;
    });
    events.on('record:expired', after);

    events.emit('record:expired', 7);

    expect(after).toHaveBeenCalledExactlyOnceWith(7);
    expect(onListenerError).toHaveBeenCalledExactlyOnceWith(failure, 'record:expired');
  });

  it('swallows listener errors when no reporter is given', () => {
    const events = createEmitter<Events>();
    events.on('record:expired', () => {
      throw new Error('listener failed');
    });

    expect(() => events.emit('record:expired', 1)).not.toThrow();
  });

  it('drops errors thrown while reporting so an error event cannot loop', () => {
    type WithError = Events & { error: [error: unknown] };
    const reported = vi.fn();
    const events = createEmitter<WithError>({
      onListenerError: (error) => {
        reported(error);
        events.emit('error', error);
      },
    });
    events.on('error', () => {
      throw new Error('error listener failed');
    });
    events.on('record:expired', () => {
      throw new Error('listener failed');
    });

    expect(() => events.emit('record:expired', 1)).not.toThrow();

    expect(reported).toHaveBeenCalledOnce();
  });

  it('skips a listener that an earlier listener unsubscribes during the same emit', () => {
    const events = createEmitter<Events>();
    const later = vi.fn();
    events.on('record:expired', () => offLater());
    const offLater = events.on('record:expired', later);

    events.emit('record:expired', 1);

    expect(later).not.toHaveBeenCalled();
  });

  it('lets a listener unsubscribe itself during emit without skipping the next one', () => {
    const events = createEmitter<Events>();
    const once = vi.fn(() => off());
    const next = vi.fn();
    const off = events.on('record:expired', once);
    events.on('record:expired', next);

    events.emit('record:expired', 1);
    events.emit('record:expired', 2);

    expect(once).toHaveBeenCalledExactlyOnceWith(1);
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('first calls a listener added during an emit on the next emit', () => {
    const events = createEmitter<Events>();
    const added = vi.fn();
    events.on('record:expired', () => {
      events.on('record:expired', added);
    });

    events.emit('record:expired', 1);

    expect(added).not.toHaveBeenCalled();
  });
});
