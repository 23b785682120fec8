/** A migration this release ships: its tag and the timestamp drizzle records when it is applied. */
export type KnownMigration = { tag: string; when: number };

export type MigrationLevel = {
  state: "current" | "behind" | "ahead";
  /** How many of this release's migrations the database has. */
  applied: number;
  /** The newest of this release's migrations the database has, if any. */
  latest: string | null;
  /** This release's migrations the database does not have yet: applied at the next start. */
  pending: string[];
  /** Timestamps of migrations in the database that this release does not ship: a newer release made them. */
  unknown: number[];
};

/**
 * Where a database stands against this release's migrations. Drizzle applies every migration newer
 * than the newest one recorded and never looks for ones it does not know, so a database a newer
 * release has migrated would be used as if it were current: that case must be caught here.
 */
export function migrationLevel(known: KnownMigration[], appliedTimestamps: number[]): MigrationLevel {
  const knownTimes = new Set(known.map((m) => m.when));
  const unknown = appliedTimestamps.filter((t) => !knownTimes.has(t)).sort((a, b) => a - b);
  const appliedKnown = known.filter((m) => appliedTimestamps.includes(m.when));
  const newest = appliedKnown.reduce<KnownMigration | null>((best, m) => (!best || m.when > best.when ? m : best), null);
  const pending = known.filter((m) => !newest || m.when > newest.when).map((m) => m.tag);
  const state = unknown.length > 0 ? "ahead" : pending.length > 0 ? "behind" : "current";
  return { state, applied: appliedKnown.length, latest: newest?.tag ?? null, pending, unknown };
}

/** The level in a few words, for people: "0011_jurisdictions (12 of 12)". */
export function describeMigrationLevel(level: MigrationLevel, knownCount: number): string {
  const where = level.latest ? `${level.latest} (${level.applied} of ${knownCount})` : `none of ${knownCount}`;
  if (level.state === "ahead") return `${where}, plus ${level.unknown.length} from a newer release`;
  if (level.state === "behind") return `${where}, ${level.pending.length} to apply`;
  return where;
}
