/**
 * Study time as the server records it: a lesson view is opened, then the page sends beats while it
 * is visible and the trainee active. Only time between beats that follow each other closely counts,
 * so a page left open on a desk earns nothing after the pause. A lesson may be marked read only
 * after a minimum time that follows from its length; a module's online study counts toward theory
 * hours up to the module's online share.
 */

export interface StudyRules {
  /** Reading speed the minimum time assumes (characters a minute). */
  charactersPerMinute: number;
  /** No lesson takes less than this. */
  minimumMinutes: number;
}

/** A beat arriving later than this after the previous one means the trainee went away: the gap earns nothing. */
export const MAX_BEAT_GAP_SECONDS = 120;

/** The most one beat can credit, however regular: the browser beats every 30 s, so a minute is generous. */
export const MAX_BEAT_CREDIT_SECONDS = 60;

/** Characters a trainee reads in a lesson: the Markdown without its markup and spaces. */
export function readableLength(markdown: string): number {
  return [...markdown.replace(/[#>*_`|\-[\]()]/g, "").replace(/\s+/g, "")].length;
}

/** The least time a lesson must be studied before it may be marked read, in whole seconds. */
export function minimumSeconds(markdown: string, rules: StudyRules): number {
  const reading = Math.ceil((readableLength(markdown) / rules.charactersPerMinute) * 60);
  return Math.max(rules.minimumMinutes * 60, reading);
}

/**
 * Seconds a beat credits after the previous one (or the opening of the view): the time between
 * them when the trainee was active and came back soon enough, never more than one beat's worth.
 */
export function beatCredit(previousAt: string, beatAt: string, active: boolean): number {
  if (!active) return 0;
  const gap = (Date.parse(beatAt) - Date.parse(previousAt)) / 1000;
  if (!(gap > 0) || gap > MAX_BEAT_GAP_SECONDS) return 0;
  return Math.min(Math.floor(gap), MAX_BEAT_CREDIT_SECONDS);
}

/** What is still needed before a lesson may be marked read: zero when enough time is recorded. */
export function secondsStillNeeded(studiedSeconds: number, markdown: string, rules: StudyRules): number {
  return Math.max(0, minimumSeconds(markdown, rules) - studiedSeconds);
}

/**
 * Online study credited to a module in tenths of an hour (学时 are recorded to one decimal, and
 * counting in whole tenths keeps every total exact): the time studied, up to the module's online share.
 */
export function creditedOnlineTenths(studiedSeconds: number, onlineShareHours: number): number {
  return Math.min(Math.floor(studiedSeconds / 360), Math.round(onlineShareHours * 10));
}

/** The same in hours, to one decimal. */
export function creditedOnlineHours(studiedSeconds: number, onlineShareHours: number): number {
  return creditedOnlineTenths(studiedSeconds, onlineShareHours) / 10;
}
