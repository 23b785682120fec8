import path from "node:path";

/** Files on disk are found from the project root: server code is bundled into build/. */
export const projectRoot = process.env.APP_ROOT ?? process.cwd();

export function defaultDatabasePath(): string {
  return process.env.DATABASE_PATH ?? path.join(projectRoot, "data", "app.sqlite");
}

/** The folder a checkout keeps its database in when DATABASE_PATH does not say otherwise. */
export function defaultDataFolder(): string {
  return path.join(projectRoot, "data");
}

export function migrationsFolder(): string {
  return path.join(projectRoot, "db", "migrations");
}
