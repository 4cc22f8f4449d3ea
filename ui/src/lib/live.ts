// The live event stream (GET /api/live, server-sent events). Keeps one EventSource open,
// reports whether it is connected, restarts it when it closes or goes silent, and hands
// `overview`, `samples` and `session_end` events to the app.

import type { Overview, Sample } from './types';

export type LiveState = 'connecting' | 'open' | 'lost';

export interface LiveHandlers {
  overview?(o: Overview): void;
  samples?(s: Sample[]): void;
  /** Alarms changed: ask for them again (GET /api/alarms). */
  alarms?(): void;
  /** The session ended (idle timeout, logout elsewhere, user disabled). */
  sessionEnd?(code: string): void;
  state?(s: LiveState): void;
  /** Open again after a loss: data may have been missed. */
  reconnected?(): void;
  /**
   * The stream closed for good (e.g. an HTTP error). Resolve false to stop retrying
   * (the app found the session gone), true to try again.
   */
  closed?(): Promise<boolean>;
}

/** The part of EventSource this module uses, so tests can give a fake. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (ev: MessageEvent) => void): void;
  close(): void;
}

export interface LiveOptions {
  create?: (url: string) => EventSourceLike;
  /** No event for this long while open counts as a lost connection. */
  silenceMs?: number;
  /** Waits before reopening a closed stream: 1st, 2nd, ... try; the last repeats. */
  retryMs?: readonly number[];
  now?: () => number;
}

const CLOSED = 2;

export class LiveStream {
  private readonly url: string;
  private readonly h: LiveHandlers;
  private readonly create: (url: string) => EventSourceLike;
  private readonly silenceMs: number;
  private readonly retryMs: readonly number[];
  private readonly now: () => number;
  private es: EventSourceLike | null = null;
  private current: LiveState = 'connecting';
  private wasLost = false;
  private lastEvent = 0;
  private tries = 0;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;

  constructor(url: string, handlers: LiveHandlers, opts: LiveOptions = {}) {
    this.url = url;
    this.h = handlers;
    this.create =
      opts.create ?? ((u) => new EventSource(u) as unknown as EventSourceLike);
    this.silenceMs = opts.silenceMs ?? 5000;
    this.retryMs = opts.retryMs ?? [1000, 2000, 5000];
    this.now = opts.now ?? (() => Date.now());
  }

  get state(): LiveState {
    return this.current;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
    this.watchdog = setInterval(() => this.checkSilence(), 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
    this.closeSource();
  }

  private setState(s: LiveState): void {
    if (s === this.current) return;
    this.current = s;
    if (s === 'lost') this.wasLost = true;
    this.h.state?.(s);
  }

  private closeSource(): void {
    if (this.es) {
      this.es.onopen = null;
      this.es.onerror = null;
      this.es.close();
      this.es = null;
    }
  }

  private open(): void {
    this.closeSource();
    const es = this.create(this.url);
    this.es = es;
    this.lastEvent = this.now();
    es.onopen = () => {
      if (this.es !== es) return;
      this.opened();
    };
    es.onerror = () => {
      if (this.es !== es) return;
      this.setState('lost');
      if (es.readyState === CLOSED) this.retry();
      // Otherwise the browser reconnects by itself.
    };
    const data = (ev: MessageEvent): unknown => {
      if (this.es !== es) return undefined;
      this.lastEvent = this.now();
      if (this.current !== 'open') this.opened();
      try {
        return JSON.parse(String(ev.data));
      } catch {
        return undefined;
      }
    };
    es.addEventListener('overview', (ev) => {
      const o = data(ev);
      if (o && typeof o === 'object') this.h.overview?.(o as Overview);
    });
    es.addEventListener('samples', (ev) => {
      const s = data(ev);
      if (Array.isArray(s)) this.h.samples?.(s as Sample[]);
    });
    es.addEventListener('alarms', () => this.h.alarms?.());
    es.addEventListener('session_end', (ev) => {
      const d = data(ev) as { code?: unknown } | undefined;
      this.stop();
      this.h.sessionEnd?.(typeof d?.code === 'string' ? d.code : 'session_expired');
    });
  }

  private opened(): void {
    this.tries = 0;
    const again = this.wasLost;
    this.wasLost = false;
    this.setState('open');
    if (again) this.h.reconnected?.();
  }

  private retry(): void {
    this.closeSource();
    if (this.stopped || this.retryTimer !== null) return;
    const wait = this.retryMs[Math.min(this.tries, this.retryMs.length - 1)] ?? 1000;
    this.tries++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.stopped) return;
      const ask = this.h.closed ? this.h.closed() : Promise.resolve(true);
      ask.then(
        (again) => {
          if (again && !this.stopped) this.open();
          else if (!again) this.stop();
        },
        () => {
          if (!this.stopped) this.retry();
        },
      );
    }, wait);
  }

  private checkSilence(): void {
    if (this.stopped || this.es === null) return;
    if (this.now() - this.lastEvent > this.silenceMs) {
      // A half-open connection delivers nothing and reports no error: start over.
      this.setState('lost');
      this.retry();
    }
  }
}
