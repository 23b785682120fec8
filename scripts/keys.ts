/**
 * The deployment's certificate signing keys.
 *
 *   npm run keys                       lists every key, current and retired
 *   npm run keys -- rotate [--note …]  retires the current key and makes a new one
 *
 * Rotating deletes the current private keys (they can never sign again) and keeps their public
 * halves in the database, so every certificate they signed keeps verifying. Restart the server
 * afterwards, and take a new backup: it must hold the new key.
 */
import { publishedKeys, rotateSigningKey, signingKeyDir } from "../app/services/signing.server";
import { commandLine, exitOnRefusal } from "./exit-on-refusal";

const usage = "npm run keys [-- rotate [--note TEXT]]";
const { positionals, values } = commandLine({ note: { type: "string" } }, usage);
const command = positionals[0] ?? "list";
if (!["list", "rotate"].includes(command)) {
  console.error(`Unknown command ${command}.\nusage: ${usage}`);
  process.exit(2);
}

if (command === "rotate") {
  const { retired, current } = await exitOnRefusal(async () => rotateSigningKey(values.note ?? "rotated"), "Rotation failed");
  console.log(
    retired ? `Retired key ${retired}: certificates it signed keep verifying through its public key.` : "There was no key to retire.",
  );
  console.log(
    `New key ${current} in ${signingKeyDir()}. Restart the server to sign with it, and take a new backup (npm run backup -- FOLDER).`,
  );
}
for (const k of publishedKeys())
  console.log(
    `${k.kid}  ${k.retiredAt ? `retired ${k.retiredAt.slice(0, 10)}` : "current"}  made ${k.createdAt.slice(0, 10)}${k.retiredNote ? `  (${k.retiredNote})` : ""}`,
  );
