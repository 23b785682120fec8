import { userInfo } from "node:os";

/**
 * Something a person running the system must put right before it can go on: a database from a newer
 * release, a read-only folder, a tampered backup. The message names the path and what to do, and is
 * printed as it is — a stack trace would bury it.
 */
export class Refusal extends Error {
  override name = "Refusal";
}

/** Judged by name, not class: the server meets this class through the build bundle, which has its own copy. */
export function isRefusal(error: unknown): error is Refusal {
  return error instanceof Error && error.name === "Refusal";
}

/** Who the process runs as, for messages about permissions. */
export function processUser(): string {
  const uid = process.getuid?.();
  if (uid === undefined) return "the user running it";
  try {
    return `user ${userInfo().username} (uid ${uid})`;
  } catch {
    return `uid ${uid}`; // a uid with no name, as in some containers
  }
}
