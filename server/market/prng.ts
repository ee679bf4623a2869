/**
 * A small seeded PRNG for the market engine. Math.random cannot be seeded, and the engine promises that the
 * same seed and the same steps give the same market, so we carry our own generator.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes PractRand, and
 * the counter guarantees a period of at least 2^32 — far beyond anything one engine run draws per symbol.
 */

/** Golden-ratio increment used by splitmix32, which spreads a small seed over all 128 state bits. */
const SPLITMIX_INCREMENT = 0x9e3779b9;

/** sfc32's own advice: discard the first outputs so nearby seeds do not start out correlated. */
const WARMUP_ROUNDS = 12;

/**
 * Above this mean, Knuth's method (≈λ uniforms per draw, and e^-λ underflowing near 745) is both slow and
 * fragile; a rounded normal with the same mean and variance is indistinguishable at that size.
 */
const POISSON_KNUTH_MAX_LAMBDA = 30;

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + SPLITMIX_INCREMENT) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over UTF-16 code units: a stable 32-bit name for a stream, e.g. a symbol. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box-Muller makes normals in pairs; the second waits here. */
  private spareNormal: number | null = null;

  /**
   * @param seed any 32-bit integer (others are truncated)
   * @param stream an independent stream for the same seed, e.g. hashString('KRX:005930')
   * @example new Prng(42, hashString('KRX:005930')).next() // same value on every run
   */
  constructor(seed: number, stream = 0) {
    const mix = splitmix32((seed >>> 0) ^ Math.imul(stream >>> 0, 0x27d4eb2d));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < WARMUP_ROUNDS; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Normal via Box-Muller. */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    // 1 − next() is in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = 2 * Math.PI * this.next();
    this.spareNormal = r * Math.sin(theta);
    return mean + sd * r * Math.cos(theta);
  }

  /** Poisson-distributed count with mean lambda (Knuth for small λ, a rounded normal for large). */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda > POISSON_KNUTH_MAX_LAMBDA) {
      return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    }
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** A uniformly chosen element; throws on an empty array because there is nothing sensible to return. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }
}
