import type { Notice } from '@consentgate/core';
import type { ConsentGate } from 'consentgate';
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';

import type { Activity, ActivityState } from './activity.js';
import type { CartLine } from './cart.js';
import type { Messages } from './messages.js';
import type { Prefs } from './prefs.js';

/** Everything a page of the storefront needs. */
export interface Shop {
  readonly cg: ConsentGate;
  readonly activity: Activity;
  readonly prefs: Prefs;
  readonly t: Messages;
  readonly cart: readonly CartLine[];
  readonly setCart: (lines: readonly CartLine[]) => void;
  /** Leaves the page once this page's engagement summary has been handed to the tracker. */
  readonly navigate: (href: string) => void;
  /** Raw engagement samples held in memory right now. */
  readonly rawSamples: () => number;
}

export const ShopContext = createContext<Shop | null>(null);

/** The storefront's context; only valid inside {@link ShopContext}. */
export function useShop(): Shop {
  const shop = useContext(ShopContext);
  // A page outside the provider is a programming mistake in the demo itself.
  if (!shop) throw new Error('useShop needs a ShopContext provider');
  return shop;
}

/**
 * The notice in force for this visitor, and a counter that changes whenever consent or stored
 * data changes, so pages re-read what they show.
 */
export function useConsentState(cg: ConsentGate): {
  readonly ready: boolean;
  readonly notice: Notice | undefined;
  readonly version: number;
} {
  const [ready, setReady] = useState(false);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    const bump = () => {
      if (live) setVersion((v) => v + 1);
    };
    const offs = [cg.on('consent:updated', bump), cg.tracker.on('event:stored', bump)];
    void cg.ready.then(() => {
      if (!live) return;
      setReady(true);
      const store = cg.store;
      if (store) {
        offs.push(
          store.on('store:purged', bump),
          store.on('record:expired', bump),
          store.on('store:erased', bump),
        );
      }
    });
    return () => {
      live = false;
      for (const off of offs) off();
    };
  }, [cg]);
  return { ready, notice: ready ? cg.tracker.getNotice() : undefined, version };
}

/** The live activity of this page. */
export function useActivity(activity: Activity): ActivityState {
  const [state, setState] = useState(activity.get());
  useEffect(() => activity.subscribe(setState), [activity]);
  return state;
}
