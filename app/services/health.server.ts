import { db } from "../../db/client.server";
import { migrationLevelOf } from "../../db/migration-level.server";
import { signingKeyStatus } from "./signing.server";

export type Health = { ok: boolean; database: string; migrations: string; signingKey: string };

/**
 * What a process manager or load balancer needs to know: does the database answer, is its schema the
 * one this code expects, is the certificate signing key in place. Nothing about people, and no paths.
 */
export function checkHealth(): Health {
  let database = "ok";
  let migrations = "unknown: the database did not answer";
  try {
    const sqlite = db().$client;
    sqlite.prepare("select 1").get();
    const level = migrationLevelOf(sqlite);
    migrations =
      level.state === "current"
        ? "current"
        : level.state === "behind"
          ? `behind: ${level.pending.length} to apply (restart the server to apply them)`
          : `ahead: ${level.unknown.length} from a newer release`;
  } catch (e) {
    database = `not answering: ${(e as { code?: string }).code ?? (e as Error).message}`;
  }
  let signingKey: string;
  try {
    signingKey = signingKeyStatus();
  } catch {
    signingKey = "unreadable";
  }
  return { ok: database === "ok" && migrations === "current" && signingKey === "present", database, migrations, signingKey };
}
