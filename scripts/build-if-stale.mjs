// Builds the app when there is no build, or when its sources are newer than the build, so `npm start`
// and the production scripts run what is checked out. Plain JavaScript: it runs before anything is built.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
const outputs = ["build/server.js", "build/index.js", "build/app/workers/writer.worker.js", "build/scripts/backup.js", "public/build"];
const sources = ["app", "db", "server.ts", "scripts", "remix.config.js", "package-lock.json", "patches"];

function newestIn(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(full, { recursive: true, withFileTypes: true })) {
    if (child.isFile()) newest = Math.max(newest, statSync(path.join(child.parentPath, child.name)).mtimeMs);
  }
  return newest;
}

const builtAt = Math.min(...outputs.map((o) => (existsSync(path.join(root, o)) ? statSync(path.join(root, o)).mtimeMs : 0)));
const changedAt = Math.max(...sources.map(newestIn));
if (builtAt === 0 || changedAt > builtAt) {
  if (!existsSync(path.join(root, "node_modules", "@remix-run", "dev"))) {
    console.error(
      builtAt === 0
        ? "没有构建产物，且未安装构建工具。请先运行 npm install 与 npm run build。 / No build, and the build tools are not installed: run npm install, then npm run build."
        : "构建产物早于源代码，且未安装构建工具。请在构建机上运行 npm run build。 / The build is older than the sources and the build tools are not installed: run npm run build where they are.",
    );
    process.exit(1);
  }
  console.error(builtAt === 0 ? "Building the app (no build yet)…" : "Building the app (sources changed since the last build)…");
  // The build's own output goes to stderr: a script's standard output stays its answer alone.
  execFileSync("npm", ["run", "build", "--silent"], { stdio: ["ignore", 2, 2], env: { ...process.env, NODE_ENV: "production" } });
}
