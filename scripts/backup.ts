/**
 * Backs up the database and the certificate signing key into a new folder, with a manifest of every
 * file's size and SHA-256. Safe while the server runs: the database is copied with SQLite's online
 * backup, as one consistent snapshot.
 *
 *   DATABASE_PATH=/srv/care/app.sqlite npm run backup -- /srv/backups/care-2026-12-01
 */
import { defaultDatabasePath } from "../db/paths";
import { backUp } from "../app/services/backup.server";
import { signingKeyDir } from "../app/services/signing.server";
import { commandLine, exitOnRefusal } from "./exit-on-refusal";

const usage = "npm run backup -- NEW_FOLDER";
const { positionals } = commandLine({}, usage);
if (positionals.length !== 1) {
  console.error(`Give the folder to create for the backup.\nusage: ${usage}`);
  process.exit(2);
}

const { folder, manifest } = await exitOnRefusal(
  () => backUp({ databasePath: defaultDatabasePath(), keyFolder: signingKeyDir(), destination: positionals[0] }),
  "Backup failed",
);
const database = manifest.files.find((f) => f.kind === "database")!;
const keys = manifest.files.filter((f) => f.kind === "signing-key");
console.log(
  `Backed up the database ${manifest.source.database} (${database.bytes.toLocaleString("en")} bytes, migrations ${manifest.migrations.level}) into ${folder}/${database.path}.`,
);
console.log(
  `Backed up ${keys.length} key file(s) (certificate signing key, app secret) from ${manifest.source.signingKeyFolder}: ${keys.map((k) => k.path).join(", ")}.`,
);
console.log(
  `Every file's size and SHA-256 checksum is in ${folder}/manifest.json (made ${manifest.createdAt} by ${manifest.app.name} ${manifest.app.version}).`,
);
console.log(`To restore it (with DATABASE_PATH and CERT_KEY_DIR set as for the server): npm run restore -- ${folder}`);
