/**
 * A log-bucketed latency histogram: constant memory however many events a run delivers, mergeable across
 * client processes, with percentiles good to about 1 %.
 */

/**
 * Each bucket is 1 % wider than the one before, so any percentile read back is within 1 % of the true value;
 * that is finer than run-to-run noise, and keeps a 0.001 ms … 10 min range in about 2,000 buckets.
 */
const BUCKET_GROWTH = 1.01;
const LOG_GROWTH = Math.log(BUCKET_GROWTH);
/** Bucket 0 holds everything below 1 µs: cross-process clock reads are not more precise than that. */
const MIN_RESOLUTION_MS = 0.001;

/** 1,024 buckets reach 26 ms, where a healthy run's latencies lie; a slower sample grows the array once or twice. */
const INITIAL_BUCKETS = 1024;

export interface HistogramJson {
  /** [bucket index, count] pairs, only for non-empty buckets. */
  buckets: Array<[number, number]>;
  count: number;
  sumMs: number;
  maxMs: number;
}

export class LatencyHistogram {
  private counts = new Float64Array(INITIAL_BUCKETS);
  count = 0;
  sumMs = 0;
  maxMs = 0;

  record(ms: number): void {
    // Clocks of two processes can disagree by a few µs; a slightly negative latency is a zero.
    const value = ms > 0 ? ms : 0;
    const index = value < MIN_RESOLUTION_MS ? 0 : 1 + Math.floor(Math.log(value / MIN_RESOLUTION_MS) / LOG_GROWTH);
    if (index >= this.counts.length) this.grow(index);
    this.counts[index]! += 1;
    this.count += 1;
    this.sumMs += value;
    if (value > this.maxMs) this.maxMs = value;
  }

  merge(json: HistogramJson): void {
    for (const [index, count] of json.buckets) {
      if (index >= this.counts.length) this.grow(index);
      this.counts[index]! += count;
    }
    this.count += json.count;
    this.sumMs += json.sumMs;
    if (json.maxMs > this.maxMs) this.maxMs = json.maxMs;
  }

  /** The latency below which `p` percent of samples fall (geometric middle of its bucket), or null if empty. */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let index = 0; index < this.counts.length; index++) {
      seen += this.counts[index]!;
      if (seen >= rank) return Math.min(this.middleOf(index), this.maxMs);
    }
    return this.maxMs;
  }

  mean(): number | null {
    return this.count === 0 ? null : this.sumMs / this.count;
  }

  toJSON(): HistogramJson {
    const buckets: Array<[number, number]> = [];
    this.counts.forEach((count, index) => {
      if (count > 0) buckets.push([index, count]);
    });
    return { buckets, count: this.count, sumMs: this.sumMs, maxMs: this.maxMs };
  }

  private middleOf(index: number): number {
    if (index === 0) return 0;
    const low = MIN_RESOLUTION_MS * BUCKET_GROWTH ** (index - 1);
    return low * Math.sqrt(BUCKET_GROWTH);
  }

  private grow(index: number): void {
    const next = new Float64Array(Math.max(index + 1, this.counts.length * 2));
    next.set(this.counts);
    this.counts = next;
  }
}
