import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveStream, type EventSourceLike, type LiveState } from './live';

class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;
  private listeners = new Map<string, ((ev: MessageEvent) => void)[]>();

  addEventListener(type: string, fn: (ev: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  emit(type: string, data: unknown): void {
    const ev = { data: JSON.stringify(data) } as MessageEvent;
    for (const fn of this.listeners.get(type) ?? []) fn(ev);
  }
  fail(closed: boolean): void {
    this.readyState = closed ? 2 : 0;
    this.onerror?.(new Event('error'));
  }
}

describe('LiveStream', () => {
  let sources: FakeSource[];
  let states: LiveState[];

  beforeEach(() => {
    vi.useFakeTimers();
    sources = [];
    states = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function stream(extra: Partial<ConstructorParameters<typeof LiveStream>[1]> = {}) {
    const s = new LiveStream(
      '/api/live',
      { state: (x) => states.push(x), ...extra },
      {
        create: () => {
          const f = new FakeSource();
          sources.push(f);
          return f;
        },
        silenceMs: 5000,
        retryMs: [1000, 2000],
        now: () => Date.now(),
      },
    );
    s.start();
    return s;
  }

  it('hands overview and samples events to the app', () => {
    const overview = vi.fn();
    const samples = vi.fn();
    const s = stream({ overview, samples });
    sources[0].open();
    sources[0].emit('overview', { now_ms: 1, machines: [] });
    sources[0].emit('samples', [{ tag_id: 7, ts: 1, value: 2, quality: 'good' }]);
    expect(overview).toHaveBeenCalledWith({ now_ms: 1, machines: [] });
    expect(samples).toHaveBeenCalledWith([{ tag_id: 7, ts: 1, value: 2, quality: 'good' }]);
    expect(s.state).toBe('open');
    s.stop();
  });

  it('passes on the word that alarms changed', () => {
    const alarms = vi.fn();
    const s = stream({ alarms });
    sources[0].open();
    sources[0].emit('alarms', {});
    sources[0].emit('alarms', {});
    expect(alarms).toHaveBeenCalledTimes(2);
    s.stop();
  });

  it('reports a lost connection and its return', () => {
    const reconnected = vi.fn();
    const s = stream({ reconnected });
    sources[0].open();
    sources[0].fail(false); // the browser retries by itself
    expect(s.state).toBe('lost');
    sources[0].open();
    expect(states).toEqual(['open', 'lost', 'open']);
    expect(reconnected).toHaveBeenCalledOnce();
    s.stop();
  });

  it('reopens a closed stream after asking whether the session still exists', async () => {
    const closed = vi.fn(async () => true);
    const s = stream({ closed });
    sources[0].open();
    sources[0].fail(true);
    expect(sources[0].closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(closed).toHaveBeenCalledOnce();
    expect(sources).toHaveLength(2);
    s.stop();
  });

  it('stops retrying when the session is gone', async () => {
    const s = stream({ closed: async () => false });
    sources[0].fail(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sources).toHaveLength(1);
    s.stop();
  });

  it('restarts a stream that went silent', async () => {
    const s = stream();
    sources[0].open();
    await vi.advanceTimersByTimeAsync(6000);
    expect(s.state).toBe('lost');
    expect(sources[0].closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sources).toHaveLength(2);
    sources[1].open();
    expect(s.state).toBe('open');
    s.stop();
  });

  it('stays open while events keep coming', async () => {
    const s = stream();
    sources[0].open();
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      sources[0].emit('overview', { now_ms: i, machines: [] });
    }
    expect(s.state).toBe('open');
    expect(sources).toHaveLength(1);
    s.stop();
  });

  it('ends on session_end and does not reconnect', async () => {
    const sessionEnd = vi.fn();
    const s = stream({ sessionEnd });
    sources[0].open();
    sources[0].emit('session_end', { code: 'session_expired' });
    expect(sessionEnd).toHaveBeenCalledWith('session_expired');
    expect(sources[0].closed).toBe(true);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sources).toHaveLength(1);
    s.stop();
  });

  it('ignores events that are not JSON', () => {
    const overview = vi.fn();
    const s = stream({ overview });
    sources[0].open();
    const listeners = (sources[0] as unknown as { listeners: Map<string, ((ev: MessageEvent) => void)[]> })
      .listeners;
    for (const fn of listeners.get('overview') ?? []) fn({ data: 'not json' } as MessageEvent);
    expect(overview).not.toHaveBeenCalled();
    s.stop();
  });
});
