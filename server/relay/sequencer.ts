/**
 * Stamps `seq` per stream: it rises by exactly 1 per stream, starting at 1, for the life of the process.
 * Streams are named by their room (`sym:KRX:005930`, `acct:kis:50012345-01`, `cond:kiwoom:001`).
 */
export class Sequencer {
  private readonly last = new Map<string, number>();

  next(stream: string): number {
    const seq = (this.last.get(stream) ?? 0) + 1;
    this.last.set(stream, seq);
    return seq;
  }

  current(stream: string): number {
    return this.last.get(stream) ?? 0;
  }
}
