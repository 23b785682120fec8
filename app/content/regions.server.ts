import { readFileSync } from "node:fs";
import path from "node:path";
import { regionTree, type RegionTree } from "../domain/regions";
import { ContentError, contentRoot } from "./programs.server";

const FILE = "regions/gb2260.tsv";

/** Reads the region table (content/regions/gb2260.tsv); a broken table stops the start naming the row. */
export function loadRegions(root = contentRoot()): RegionTree {
  const lines = readFileSync(path.join(root, FILE), "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"));
  const [header, ...rows] = lines;
  if (header !== "code\tname\tparent") throw new ContentError([`${FILE}: first line must be "code<TAB>name<TAB>parent"`]);
  const { tree, problems } = regionTree(
    rows.map((l) => {
      const [code = "", name = "", parent = ""] = l.split("\t");
      return { code, name, parent: parent.trim() };
    }),
  );
  if (problems.length) throw new ContentError(problems.map((p) => `${FILE}: ${p}`));
  return tree;
}

let cache: RegionTree | undefined;
export function regions(): RegionTree {
  cache ??= loadRegions();
  return cache;
}
