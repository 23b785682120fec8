import { seededRandom } from "../../app/domain/assessment";

/**
 * Choices the generator makes are drawn from a seed, so two datasets of one scale have the same
 * shape and the same people; only ids, serials and signatures, which must be random, differ.
 */
export class Draw {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A whole number from `from` to `to`, both included. */
  between(from: number, to: number): number {
    return from + Math.floor(this.next() * (to - from + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}
