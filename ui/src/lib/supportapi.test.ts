import { describe, expect, it } from 'vitest';
import { logTimeMs, splitMessage } from './supportapi';

describe('support', () => {
  it('reads a log line time with microseconds', () => {
    expect(logTimeMs('2026-11-28T06:00:00.000001Z')).toBe(Date.UTC(2026, 10, 28, 6, 0, 0));
    expect(logTimeMs('2026-11-28T06:00:01Z')).toBe(Date.UTC(2026, 10, 28, 6, 0, 1));
    expect(logTimeMs('not a time')).toBeNull();
  });
  it('splits where a message comes from', () => {
    expect(splitMessage('plantlog::store::writer: a commit failed')).toEqual(['store::writer', 'a commit failed']);
    expect(splitMessage('plantlog: started')).toEqual(['', 'started']);
    expect(splitMessage('tower_http: slow')).toEqual(['', 'tower_http: slow']);
  });
});
