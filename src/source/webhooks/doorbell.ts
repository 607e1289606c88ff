import { silentLogger, type Logger } from '../../log/logger.js';
import type { WebhookEvent } from './receiver.js';
import { effectsOf, type Departure } from './routes.js';

/**
 * Turns webhook events into work rounds. The first event after a quiet spell opens a coalescing
 * window; when it closes, everything gathered is handed to `run` as one round: each stream is
 * pulled once however many events named it (500 events in a second → one pull per stream). Events
 * arriving while a round runs gather into the next one, so at most one round runs at a time and
 * rounds never pile up. A round that fails is logged; its pulls are not retried (the regular poll
 * catches up, as it does for a webhook that never came) but its departures go into the next round.
 */

export interface ObservedDeparture extends Departure {
  /** The webhook event that reported it. */
  eventId: string;
  action: string;
  observedAt: string;
}

export interface Round {
  pull: Set<string>;
  children: Map<string, Set<string>>;
  /** In arrival order. */
  departures: ObservedDeparture[];
  events: number;
}

export interface DoorbellStats {
  events: number;
  rounds: number;
  failedRounds: number;
}

const emptyRound = (): Round => ({ pull: new Set(), children: new Map(), departures: [], events: 0 });

export class Doorbell {
  private pending = emptyRound();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly stats: DoorbellStats = { events: 0, rounds: 0, failedRounds: 0 };

  constructor(
    private readonly run: (round: Round) => Promise<void>,
    private readonly coalesceMs: number,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Queues the event's work; never blocks the receiver. */
  ring(event: WebhookEvent): void {
    if (this.closed) return;
    const effects = effectsOf(event.action, event.data);
    this.stats.events++;
    const r = this.pending;
    r.events++;
    for (const s of effects.pull) r.pull.add(s);
    for (const [stream, ids] of Object.entries(effects.children)) {
      let set = r.children.get(stream);
      if (!set) r.children.set(stream, (set = new Set()));
      for (const id of ids) set.add(id);
    }
    for (const d of effects.departures)
      r.departures.push({ ...d, eventId: event.id, action: event.action, observedAt: event.receivedAt });
    this.schedule();
  }

  counters(): DoorbellStats {
    return { ...this.stats };
  }

  /** Resolves once no round is running or waiting (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.timer || this.running) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setTimeout(resolve, this.coalesceMs));
    }
  }

  /** Stops taking events; the round running (if any) finishes, a waiting one is dropped (the next poll covers it). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(): void {
    if (this.timer || this.running || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const round = this.pending;
      this.pending = emptyRound();
      this.stats.rounds++;
      this.running = this.run(round)
        .catch((err: unknown) => {
          this.stats.failedRounds++;
          // Pulls are caught up by the next poll; departures are not (lists never report them): keep them for the next round.
          if (round.departures.length > 0 && !this.closed) {
            this.pending.departures.unshift(...round.departures);
            this.pending.events++;
          }
          this.logger.warn(
            'a webhook-triggered round failed; pulls are caught up by the next regular pass, departures are retried',
            { streams: [...round.pull], departures: round.departures.length, err: err as Error },
          );
        })
        .finally(() => {
          this.running = undefined;
          if (this.pending.events > 0) this.schedule();
        });
    }, this.coalesceMs);
    this.timer.unref?.();
  }
}
