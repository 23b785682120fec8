/**
 * Sets up an empty production database: migrations, the alliance, and its first admin account.
 * No demo data. Refuses to touch a database that already has accounts.
 *
 *   DATABASE_PATH=/srv/care/app.sqlite ADMIN_PASSWORD='…' npm run setup:production -- \
 *     --alliance "某区医养结合联盟" --alliance-code ALLIANCE --admin-name "管理员" --admin-username admin
 */
import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { count } from "drizzle-orm";
import { closeDatabase, db, defaultDatabasePath } from "../db/client.server";
import { auditLog, organisations, roleAssignments, users } from "../db/schema";
import { hashPassword } from "../app/auth/password.server";
import { translator, type MessageKey } from "../app/i18n/messages";
import { username } from "../app/validation/people";
import { exitOnRefusal } from "./exit-on-refusal";

const { values } = parseArgs({
  options: {
    alliance: { type: "string", default: "医养结合联盟" },
    "alliance-code": { type: "string", default: "ALLIANCE" },
    "admin-name": { type: "string", default: "系统管理员" },
    "admin-username": { type: "string", default: "admin" },
  },
});

// The same rules as a username typed on the admin's user form: one that looks like a mobile number could never sign in.
const adminUsername = username.safeParse(values["admin-username"]);
if (!adminUsername.success || adminUsername.data === "") {
  const problems = adminUsername.success ? ["error.username"] : adminUsername.error.issues.map((i) => i.message);
  const t = translator("en");
  console.error(
    `--admin-username ${JSON.stringify(values["admin-username"])} cannot be used: ${problems.map((p) => t(p as MessageKey)).join("; ")}. Nothing changed.`,
  );
  process.exit(1);
}

const database = await exitOnRefusal(db, "Nothing changed");
if (database.select({ n: count() }).from(users).get()!.n > 0) {
  console.error(`${defaultDatabasePath()} already has accounts; nothing changed.`);
  process.exit(1);
}

const generated = !process.env.ADMIN_PASSWORD;
const password = process.env.ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
if (password.length < 8) {
  console.error("ADMIN_PASSWORD needs at least 8 characters.");
  process.exit(1);
}
const passwordHash = await hashPassword(password);
const allianceId = randomUUID();
const adminId = randomUUID();

database.transaction((tx) => {
  tx.insert(organisations)
    .values({ id: allianceId, code: values["alliance-code"]!.toUpperCase(), kind: "alliance", name: values.alliance! })
    .run();
  tx.insert(users).values({ id: adminId, name: values["admin-name"]!, username: adminUsername.data, passwordHash }).run();
  tx.insert(roleAssignments).values({ userId: adminId, organisationId: allianceId, role: "admin" }).run();
  tx.insert(auditLog)
    .values({
      actorUserId: null,
      action: "system.setup-production",
      entityType: "system",
      entityId: "setup",
      details: JSON.stringify({ alliance: values.alliance, admin: adminUsername.data }),
    })
    .run();
});
closeDatabase();

console.log(`Database ready at ${defaultDatabasePath()}.`);
console.log(`Admin account: ${adminUsername.data}${generated ? `, password: ${password} (shown once; change it after signing in)` : ""}`);
console.log("Start the server with: NODE_ENV=production npm start");
