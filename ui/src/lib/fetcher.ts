// Fetching the history of a chart's tags for a span, where a newer request wins: the
// older one is cancelled and its answer dropped, and the chart keeps showing what it has
// until the new data is there.

import type { ApiClient } from './api';
import { errorText } from './api';
import { emptySeries, fromHistory, type Series } from './series';
import type { Span } from './span';

export interface Fetched {
  series: Series;
  error: string;
}

/**
 * Fetches tags' history for a span; a newer fetch wins: the older one is cancelled and
 * answers null. Until then the chart keeps what it shows.
 */
export class HistoryFetcher {
  private seq = 0;
  private ctl: AbortController | null = null;

  constructor(private readonly api: Pick<ApiClient, 'history'>) {}

  /** True while a fetch runs. */
  busy = false;

  async fetch(ids: readonly number[], span: Span, points: number): Promise<Fetched[] | null> {
    const mine = ++this.seq;
    this.ctl?.abort();
    const ctl = typeof AbortController === 'undefined' ? null : new AbortController();
    this.ctl = ctl;
    this.busy = true;
    const results = await Promise.all(
      ids.map(async (id): Promise<Fetched> => {
        try {
          const h = await this.api.history(id, span.from, span.to, points, ctl?.signal);
          return { series: fromHistory(h), error: '' };
        } catch (e) {
          return { series: emptySeries(), error: errorText(e) };
        }
      }),
    );
    if (mine !== this.seq) return null;
    this.busy = false;
    this.ctl = null;
    return results;
  }

  cancel(): void {
    this.seq++;
    this.ctl?.abort();
    this.ctl = null;
    this.busy = false;
  }
}
