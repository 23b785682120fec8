/**
 * The province the bench measures: how big it is at scale 1 and how a smaller scale shrinks it.
 * A smaller scale has fewer bases, each as large as at scale 1, so a cohort's pages cost the same
 * at any scale and only what spans bases (a district, a hospital, the register) grows with it.
 */

/** Raise when the generator changes what it writes: cached datasets of another version are rebuilt. */
export const DATASET_VERSION = 4;

/** Every base sits in a district of this province (GB/T 2260). */
export const PROVINCE_CODE = "330000";

export const AT_SCALE_ONE = {
  bases: 200,
  cohorts: 2_000,
  trainees: 200_000,
  learningEvents: 5_000_000,
  certificates: 100_000,
  claims: 2_000,
  claimLines: 20_000,
  placements: 29_668,
  signoffs: 222_000,
  auditRows: 1_080_000,
} as const;

export type Shape = { -readonly [K in keyof typeof AT_SCALE_ONE]: number };

export const COHORTS_PER_BASE = AT_SCALE_ONE.cohorts / AT_SCALE_ONE.bases;

/** What the dataset should hold at `scale`: whole bases, the rest in proportion to them. */
export function shapeAt(scale: number): Shape {
  const bases = Math.max(1, Math.round(AT_SCALE_ONE.bases * scale));
  const ratio = bases / AT_SCALE_ONE.bases;
  const shape = {} as Shape;
  for (const [key, value] of Object.entries(AT_SCALE_ONE)) shape[key as keyof Shape] = Math.round(value * ratio);
  shape.bases = bases;
  return shape;
}

/** `0.1` → "0.1": the name of a scale in folders and tables. */
export function scaleName(scale: number): string {
  return String(Number(scale.toPrecision(6)));
}
