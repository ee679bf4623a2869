import type { HogaEvent, SymbolId, TickEvent } from '../../lib/contracts';

/**
 * The last tick and hoga per symbol, sent to a client when it joins so a chart never starts empty.
 * Kept after the last viewer leaves: the next viewer still sees a price while the feed re-subscribes.
 */
export class LastValueCache {
  private readonly ticks = new Map<SymbolId, TickEvent>();
  private readonly hogas = new Map<SymbolId, HogaEvent>();

  putTick(event: TickEvent): void {
    this.ticks.set(event.symbol, event);
  }

  putHoga(event: HogaEvent): void {
    this.hogas.set(event.symbol, event);
  }

  tick(symbol: SymbolId): TickEvent | undefined {
    return this.ticks.get(symbol);
  }

  hoga(symbol: SymbolId): HogaEvent | undefined {
    return this.hogas.get(symbol);
  }

  /** The cached events of a symbol in seq order, so a joining client sees one rising run. */
  snapshot(symbol: SymbolId): Array<{ kind: 'tick'; event: TickEvent } | { kind: 'hoga'; event: HogaEvent }> {
    const out: Array<{ kind: 'tick'; event: TickEvent } | { kind: 'hoga'; event: HogaEvent }> = [];
    const tick = this.ticks.get(symbol);
    const hoga = this.hogas.get(symbol);
    if (tick) out.push({ kind: 'tick', event: tick });
    if (hoga) out.push({ kind: 'hoga', event: hoga });
    return out.sort((a, b) => a.event.seq - b.event.seq);
  }
}
