/**
 * Puts a backup made by `npm run backup` back in place: the database at DATABASE_PATH and the
 * certificate signing key in its folder (CERT_KEY_DIR, or beside the database). Every file is checked
 * against the manifest first; a database that a process has open is never replaced, and one that
 * exists is replaced only with --force (and then kept beside it, renamed).
 *
 *   DATABASE_PATH=/srv/care/app.sqlite npm run restore -- /srv/backups/care-2026-12-01 [--force]
 */
import { defaultDatabasePath } from "../db/paths";
import { restore } from "../app/services/restore.server";
import { signingKeyDir } from "../app/services/signing.server";
import { commandLine, exitOnRefusal } from "./exit-on-refusal";

const usage = "npm run restore -- BACKUP_FOLDER [--force]";
const { positionals, values } = commandLine({ force: { type: "boolean", default: false } }, usage);
if (positionals.length !== 1) {
  console.error(`Give the backup folder to restore from.\nusage: ${usage}`);
  process.exit(2);
}

const report = await exitOnRefusal(
  () => restore({ source: positionals[0], databasePath: defaultDatabasePath(), keyFolder: signingKeyDir(), force: values.force === true }),
  "Restore refused",
);
console.log(
  `Checked every file in ${report.backup.folder} against its manifest (backup made ${report.backup.createdAt} by ${report.backup.app}).`,
);
console.log(
  `Restored the database to ${report.database.path} (${report.database.bytes.toLocaleString("en")} bytes, migrations ${report.database.level}).`,
);
if (report.keys.restored.length > 0) console.log(`Restored the key files: ${report.keys.restored.join(", ")}.`);
if (report.keys.unchanged.length > 0)
  console.log(`Already in place and identical, left as they were: ${report.keys.unchanged.join(", ")}.`);
for (const file of report.keptAside) console.log(`What was there before is kept as ${file}.`);
console.log("Start the server on it as usual; migrations still to apply are applied at start.");
