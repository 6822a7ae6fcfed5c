import { CONSENT_CHANNEL, CONSENT_UPDATED } from '@consentgate/core';

/** The handle {@link listenForConsent} returns. */
export interface ConsentListener {
  /** Tells the other tabs that consent changed here. */
  readonly post: () => void;
  /** Stops listening and closes the channel. */
  readonly stop: () => void;
}

/**
 * Calls `heard` whenever someone says the consent in force changed, and returns the handle: a
 * {@link CONSENT_UPDATED} event on `win` (the tracker, another bundle, the site; `heard` gets the
 * event, whose detail names the receipt), or a message on the {@link CONSENT_CHANNEL}
 * `BroadcastChannel` (another tab of this origin; the message names nothing). Either is only a
 * hint: the listener re-reads its storage, which stays the truth.
 */
export function listenForConsent(
  win: Window | null,
  heard: (event: Event) => void,
): ConsentListener {
  win?.addEventListener(CONSENT_UPDATED, heard);
  let channel: BroadcastChannel | undefined;
  try {
    channel = new BroadcastChannel(CONSENT_CHANNEL);
    channel.onmessage = heard;
  } catch {
    // No BroadcastChannel (old browsers) or not allowed (opaque origins): a change made in
    // another tab shows here on the next load instead.
  }
  return {
    post: () => channel?.postMessage({ type: CONSENT_UPDATED }),
    stop() {
      win?.removeEventListener(CONSENT_UPDATED, heard);
      channel?.close();
      // A write still in flight when the widget is destroyed posts on nothing rather than throw.
      channel = undefined;
    },
  };
}
