// The time span the charts of one page share: following live values or fixed, changed by
// the range buttons, a custom from/to, back and forward, a span dragged out on a chart,
// the mouse wheel and "Zoom out". Charts redraw their x axis at once when `spanSeq`
// changes and fetch data for the span when `fetchSeq` changes: at once for a button,
// once the wheel has rested for a wheel. The arithmetic is in span.ts.

import { plantNow } from './app.svelte';
import { pan } from './series';
import {
  HOUR,
  pushView,
  selectSpan,
  spanOf,
  viewOf,
  zoomOut,
  zoomSpan,
  type Span,
  type ViewState,
} from './span';

/** How long the wheel must rest before charts fetch the new span. */
export const WHEEL_SETTLE_MS = 250;

export class TimeView {
  live = $state(true);
  rangeMs = $state(HOUR);
  end = $state(0);
  /** Changes with every new span. */
  spanSeq = $state(0);
  /** Changes when the charts should fetch data for the span. */
  fetchSeq = $state(0);
  /** Spans to go back to with "Zoom out", the last one on top. */
  history = $state.raw<ViewState[]>([]);

  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(init?: ViewState | null) {
    if (init) {
      this.live = init.live;
      this.rangeMs = init.rangeMs;
      this.end = init.end;
    }
  }

  get state(): ViewState {
    return { live: this.live, rangeMs: this.rangeMs, end: this.end };
  }

  /** The span shown now. */
  span(nowMs = plantNow()): Span {
    return spanOf(this.state, nowMs);
  }

  private apply(v: ViewState, push: boolean, settleMs = 0): void {
    if (push) this.history = pushView(this.history, this.state);
    this.live = v.live;
    this.rangeMs = v.rangeMs;
    this.end = v.end;
    this.spanSeq++;
    this.fetchAfter(settleMs);
  }

  private fetchAfter(ms: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (ms <= 0) {
      this.fetchSeq++;
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fetchSeq++;
    }, ms);
  }

  /** A range button: the window gets that wide and keeps its right edge (or now). */
  setRange(ms: number): void {
    this.apply({ live: this.live, rangeMs: ms, end: this.end }, true);
  }

  /** Shows a span (custom from/to); one that reaches now follows live values. */
  showSpan(span: Span): void {
    const now = plantNow();
    this.apply(viewOf(span, now), true);
  }

  /** A span dragged out on a chart. */
  select(a: number, b: number): void {
    const now = plantNow();
    this.apply(viewOf(selectSpan(a, b, now), now), true);
  }

  /** One wheel event over a chart: zooms around `anchor`; one history entry per gesture. */
  wheel(anchor: number, factor: number): void {
    if (factor === 1) return;
    const now = plantNow();
    const gesture = this.timer !== null;
    this.apply(viewOf(zoomSpan(this.span(now), anchor, factor, now), now), !gesture, WHEEL_SETTLE_MS);
  }

  /** The span before the last zoom; without one, twice as wide. */
  zoomOut(): void {
    const r = zoomOut(this.history, this.state, plantNow());
    this.history = r.stack;
    this.apply(r.view, false);
  }

  back(): void {
    const now = plantNow();
    const w = pan(this.span(now), -1, now);
    this.apply({ live: false, rangeMs: this.rangeMs, end: w.to }, false);
  }

  forward(): void {
    if (this.live) return;
    const now = plantNow();
    const w = pan(this.span(now), 1, now);
    this.apply({ live: w.live, rangeMs: this.rangeMs, end: w.live ? now : w.to }, false);
  }

  goLive(): void {
    if (this.live) return;
    this.apply({ live: true, rangeMs: this.rangeMs, end: plantNow() }, false);
  }

  /** Takes a view from elsewhere (the address) without a history entry. */
  load(v: ViewState): void {
    this.apply(v, false);
  }

  /** Same span, fresh data (after a reconnect). */
  refresh(): void {
    this.fetchAfter(0);
  }

  destroy(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
