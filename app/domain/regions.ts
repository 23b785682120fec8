/**
 * Administrative regions (GB/T 2260 six-digit codes): province → city → county-level district.
 * Authorities issue rules for one region; a rule reaches everything inside it.
 */

export interface Region {
  code: string;
  name: string;
  /** null for a province. */
  parent: string | null;
}

export type RegionTree = ReadonlyMap<string, Region>;

/** Placeholders the statistics office uses for a city's own districts or counties directly under a province. */
const GROUPING_NAMES = new Set(["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"]);

/** Builds the tree from `code, name, parent` rows; every problem is named by its row. */
export function regionTree(rows: { code: string; name: string; parent: string }[]): { tree: RegionTree; problems: string[] } {
  const tree = new Map<string, Region>();
  const problems: string[] = [];
  rows.forEach((r, i) => {
    if (!/^\d{6}$/.test(r.code)) problems.push(`row ${i + 1}: code "${r.code}" is not six digits`);
    else if (tree.has(r.code)) problems.push(`row ${i + 1}: code ${r.code} appears twice`);
    else if (!r.name.trim()) problems.push(`row ${i + 1}: code ${r.code} has no name`);
    else tree.set(r.code, { code: r.code, name: r.name.trim(), parent: r.parent || null });
  });
  for (const r of tree.values()) {
    if (r.parent !== null && !tree.has(r.parent)) problems.push(`code ${r.code}: parent ${r.parent} is not in the table`);
  }
  return { tree, problems };
}

/** The region and every region containing it, innermost first; empty for an unknown code. */
export function regionPath(tree: RegionTree, code: string | null | undefined): string[] {
  const path: string[] = [];
  let r = code ? tree.get(code) : undefined;
  while (r && !path.includes(r.code)) {
    path.push(r.code);
    r = r.parent ? tree.get(r.parent) : undefined;
  }
  return path;
}

/** Whether `code` lies in `ancestor` (a region lies in itself). */
export function regionWithin(tree: RegionTree, code: string | null | undefined, ancestor: string): boolean {
  return regionPath(tree, code).includes(ancestor);
}

/** Each region's direct children, worked out once per tree (the tree is loaded once and never changed). */
const childrenOf = new WeakMap<RegionTree, ReadonlyMap<string, readonly string[]>>();

function children(tree: RegionTree): ReadonlyMap<string, readonly string[]> {
  let index = childrenOf.get(tree);
  if (!index) {
    const built = new Map<string, string[]>();
    for (const r of tree.values()) {
      if (!r.parent) continue;
      const siblings = built.get(r.parent);
      if (siblings) siblings.push(r.code);
      else built.set(r.parent, [r.code]);
    }
    childrenOf.set(tree, built);
    index = built;
  }
  return index;
}

/**
 * Every region that lies in one of `ancestors` (each lies in itself): the places a region-scoped
 * role reaches. Walks down from the ancestors, so it costs the regions reached, not the whole table.
 */
export function regionsWithin(tree: RegionTree, ancestors: readonly string[]): string[] {
  const below = children(tree);
  const found = new Set<string>();
  const stack = ancestors.filter((code) => tree.has(code));
  while (stack.length) {
    const code = stack.pop()!;
    if (found.has(code)) continue;
    found.add(code);
    stack.push(...(below.get(code) ?? []));
  }
  return [...found];
}

/** "浙江省杭州市富阳区": the names from the province down, without the statistics office's grouping placeholders. */
export function regionLabel(tree: RegionTree, code: string | null | undefined): string {
  const names = regionPath(tree, code)
    .reverse()
    .map((c) => tree.get(c)!.name)
    .filter((name) => !GROUPING_NAMES.has(name));
  return names.join("");
}

/** The region's own name ("富阳区"), or the code itself when it is not in the table. */
export function regionName(tree: RegionTree, code: string): string {
  return tree.get(code)?.name ?? code;
}

export type RegionLookup = { ok: true; code: string } | { ok: false; error: "notFound" | "ambiguous" };

/**
 * What a person typed into a region field: a six-digit code (alone or inside a label such as
 * "浙江省杭州市富阳区（330111）"), a full label, or a name that only one region has.
 */
export function findRegion(tree: RegionTree, typed: string): RegionLookup {
  const text = typed.trim();
  const code = text.match(/\d{6}/)?.[0];
  if (code) return tree.has(code) ? { ok: true, code } : { ok: false, error: "notFound" };
  if (!text) return { ok: false, error: "notFound" };
  const byLabel = [...tree.values()].filter((r) => regionLabel(tree, r.code) === text);
  if (byLabel.length === 1) return { ok: true, code: byLabel[0].code };
  const byName = [...tree.values()].filter((r) => r.name === text);
  if (byName.length === 1) return { ok: true, code: byName[0].code };
  return { ok: false, error: byName.length > 1 || byLabel.length > 1 ? "ambiguous" : "notFound" };
}

/** Regions whose label contains every character group typed, for suggestions as one types. */
export function suggestRegions(tree: RegionTree, typed: string, limit = 20): { code: string; label: string }[] {
  const text = typed.trim();
  if (!text) return [];
  const out: { code: string; label: string }[] = [];
  for (const r of tree.values()) {
    const label = regionLabel(tree, r.code);
    if (r.code.startsWith(text) || label.includes(text)) out.push({ code: r.code, label });
    if (out.length >= limit) break;
  }
  return out;
}

/** How a region is written in a form field, so that `findRegion` reads it back exactly. */
export function regionFieldValue(tree: RegionTree, code: string | null | undefined): string {
  return code && tree.has(code) ? `${regionLabel(tree, code)}（${code}）` : "";
}
