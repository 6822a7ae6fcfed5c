/**
 * Maps each event name to the labelled tuple of arguments its listeners receive.
 *
 * Declare contracts with `type`, not `interface`: only type aliases satisfy the index signature.
 *
 * @example
 * ```ts
 * type TrackerEvents = {
 *   'event:sent': [event: Readonly<TrackEvent>];
 *   error: [error: ConsentGateError];
 * };
 * ```
 */
export type EventContract = Record<string, unknown[]>;

/** A function that stops one listener; calling it again does nothing. */
export type Unsubscribe = () => void;

/** A listener for an event whose arguments are `Args`. */
export type Listener<Args extends unknown[]> = (...args: Args) => void;

/** Options for {@link createEmitter}. */
export interface EmitterOptions<Contract extends EventContract = EventContract> {
  /**
   * Receives whatever a listener threw, with the name of the event being emitted. The other
   * listeners still run. Use it to wrap the error and emit it on the contract's `error` event;
   * errors thrown inside `onListenerError` itself, or while it is already running, are dropped so
   * that an `error` listener that throws cannot loop.
   *
   * @default undefined (listener errors are swallowed)
   */
  onListenerError?: (error: unknown, name: keyof Contract & string) => void;
}

/** A typed, synchronous, in-memory event emitter. */
export interface Emitter<Contract extends EventContract = EventContract> {
  /**
   * Adds a listener for `name` and returns the function that removes it.
   *
   * Each call adds a separate subscription, even for the same function.
   */
  on<Name extends keyof Contract & string>(name: Name, fn: Listener<Contract[Name]>): Unsubscribe;
  /**
   * Calls every listener of `name` with `args`, in subscription order, and returns nothing.
   *
   * A listener that throws does not stop the others (see {@link EmitterOptions.onListenerError}).
   * A listener removed during an emit is not called later in that emit; one added during an emit
   * is first called on the next emit.
   */
  emit<Name extends keyof Contract & string>(name: Name, ...args: Contract[Name]): void;
}

interface Subscription {
  readonly fn: Listener<unknown[]>;
}

/**
 * Creates an emitter typed by an event contract and returns its `on` and `emit` methods.
 *
 * @example
 * ```ts
 * type Events = {
 *   'consent:updated': [state: Readonly<ConsentState>];
 *   error: [error: unknown, event: string];
 * };
 * const events: Emitter<Events> = createEmitter<Events>({
 *   onListenerError: (error, name) => events.emit('error', error, name),
 * });
 * const off = events.on('consent:updated', (state) => render(state));
 * off();
 * ```
 */
export function createEmitter<Contract extends EventContract = EventContract>(
  options: EmitterOptions<Contract> = {},
): Emitter<Contract> {
  const { onListenerError } = options;
  const _listeners = new Map<string, Set<Subscription>>();
  let _reporting = false;

  function report(error: unknown, name: keyof Contract & string): void {
    if (!onListenerError || _reporting) return;
    _reporting = true;
    try {
      onListenerError(error, name);
    } catch {
      // The error reporter itself failed; there is nobody left to tell, and the host page must
      // not see it.
    } finally {
      _reporting = false;
    }
  }

  return {
    on(name, fn) {
      let set = _listeners.get(name);
      if (!set) {
        set = new Set();
        _listeners.set(name, set);
      }
      // The map loses the link between a name and its tuple; `emit` restores it by the same name.
      const subscription: Subscription = { fn: fn as Listener<unknown[]> };
      set.add(subscription);
      return () => {
        set.delete(subscription);
      };
    },
    emit(name, ...args) {
      const set = _listeners.get(name);
      if (!set || set.size === 0) return;
      // Iterate over a copy so that listeners added during this emit wait for the next one,
      // and check membership so that listeners removed during this emit are skipped.
      for (const subscription of [...set]) {
        if (!set.has(subscription)) continue;
        try {
          subscription.fn(...args);
        } catch (error) {
          report(error, name);
        }
      }
    },
  };
}
