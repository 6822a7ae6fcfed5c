import type { ComponentChildren } from 'preact';

import type { WidgetActions } from './view-props.js';

/** Props of {@link DialogFrame}. */
export interface DialogFrameProps {
  /** Which view this is; becomes the `cg-<view>` class. */
  readonly view: string;
  /** The heading, which also names the dialog. */
  readonly title: string;
  /** The text that describes the dialog. */
  readonly intro: ComponentChildren;
  /** Centred and wider (preferences, privacy centre) rather than a bottom sheet (banner). */
  readonly wide?: boolean;
  readonly lang: string;
  readonly actions: WidgetActions;
  readonly children: ComponentChildren;
}

/**
 * Renders a modal dialog on a fixed backdrop: `role="dialog"`, `aria-modal`, named by its heading
 * and described by its intro. The widget focuses it after rendering; its keydown handler keeps
 * Tab inside and closes it on Escape.
 */
export function DialogFrame(props: DialogFrameProps) {
  const { actions } = props;
  return (
    <div
      class={`cg-overlay cg-${props.view}${props.wide ? ' cg-wide' : ''}`}
      onMouseDown={actions.backdrop}
    >
      <div
        class="cg-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="cg-title"
        aria-describedby="cg-intro"
        tabIndex={-1}
        lang={props.lang}
        onKeyDown={actions.keydown}
      >
        <h2 id="cg-title">{props.title}</h2>
        <div id="cg-intro">{props.intro}</div>
        {props.children}
      </div>
    </div>
  );
}
