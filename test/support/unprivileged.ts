import { chmodSync, chownSync } from "node:fs";

/**
 * Permissions do not bind root, and tests may run as root: then the child process runs as nobody, so
 * that a read-only file or folder really is read-only to it.
 */
const root = process.getuid?.() === 0;
const NOBODY = 65534;

export const unprivileged: { uid?: number; gid?: number } = root ? { uid: NOBODY, gid: NOBODY } : {};

/** Lets the unprivileged child reach a folder made by the test (mkdtemp makes them private to their owner). */
export function openTo(folder: string, mode: number): void {
  chmodSync(folder, mode);
  if (root) chownSync(folder, NOBODY, NOBODY);
}
