/**
 * The searchable list of instruments behind the watchlist search: by code (`0059`), Korean name (`삼성`),
 * English name (`samsung`) or symbol (`KRX:005930`). Built once; the universe is small (hundreds), so a
 * linear scan per keystroke is cheaper than keeping an index in sync.
 */
import type { Instrument, SymbolId } from '../lib/contracts';
import type { InstrumentDirectory } from '../lib/contracts/services';

interface Row {
  instrument: Instrument;
  haystack: string;
}

export function createInstrumentDirectory(instruments: readonly Instrument[]): InstrumentDirectory {
  const rows: Row[] = instruments.map((instrument) => ({
    instrument,
    haystack: `${instrument.symbol} ${instrument.code} ${instrument.name} ${instrument.nameEn}`.toLowerCase(),
  }));
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));

  return {
    list: () => instruments.slice(),
    get: (symbol: SymbolId) => bySymbol.get(symbol),
    search(query: string, limit: number): Instrument[] {
      const q = query.trim().toLowerCase();
      if (q === '') return instruments.slice(0, limit);
      // Code and symbol prefixes first: someone typing 0059 means 005930, not a name containing it.
      const prefix: Instrument[] = [];
      const contains: Instrument[] = [];
      for (const row of rows) {
        const i = row.instrument;
        if (i.code.toLowerCase().startsWith(q) || i.symbol.toLowerCase().startsWith(q)) prefix.push(i);
        else if (row.haystack.includes(q)) contains.push(i);
      }
      return [...prefix, ...contains].slice(0, limit);
    },
  };
}
