import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { Region } from "../../app/domain/regions";

/**
 * The content folder the province runs on: the checkout's programmes and regions as they are, its
 * policies, and one subsidy per district that hosts a base. The checkout's policies reach 富阳区
 * only, so without these no other district's bureau would have a claim to review; each is 富阳's
 * instructor policy issued by another district's health bureau, and also pays nursing-assistant
 * training and appraisal (two lines a head), so that claims hold heads of both programmes.
 */
export function writeProvinceContent(folder: string, checkoutContent: string, districts: Region[], today: string): void {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(path.join(folder, "policies"), { recursive: true });
  // Linked, not copied: a programme changed in the checkout is published as its next version at start, as in production.
  for (const part of ["programs", "regions"]) symlinkSync(path.relative(folder, path.join(checkoutContent, part)), path.join(folder, part));
  cpSync(path.join(checkoutContent, "policies"), path.join(folder, "policies"), { recursive: true });
  for (const d of districts) {
    const code = districtPolicyCode(d.code);
    const policy = {
      code,
      title: `${d.name}医养结合培训补助（基准数据）`,
      title_en: `Integrated-care training subsidy of ${d.code} (bench data)`,
      source: {
        title: "基准测试数据：仿照富阳区实施意见二(七)1，为每个设有培训基地的区设一项补助",
        document: "bench/province",
        section: "二(七)1",
        quote: "每培训1名养老护理员师资，财政补助培训基地5000元。",
      },
      issuer: { region: d.code, authority: "health_bureau" },
      payee: "base",
      amounts: {
        "caregiver-instructor": { training: { fen: 500_000, confirmed: true } },
        "medical-nursing-assistant": { training: { fen: 150_000, confirmed: true }, appraisal: { fen: 20_000, confirmed: true } },
      },
      window: districtPolicyWindow(today),
      target: 300,
      hard_cap: null,
      conditions: ["certificate_in_force", "once_per_person_occupation_level", "base_accredited_on_completion", "id_number"],
    };
    writeFileSync(path.join(folder, "policies", `${code}.yaml`), YAML.stringify(policy));
  }
  if (!existsSync(path.join(folder, "programs", "README.md")))
    throw new Error(`the checkout's programmes are not reachable from ${folder}`);
}

/** Completions that count: from two years before the dataset was made to the end of the next year. */
export function districtPolicyWindow(today: string): { from: string; to: string } {
  const year = Number(today.slice(0, 4));
  return { from: `${year - 2}-01-01`, to: `${year + 1}-12-31` };
}

export function districtPolicyCode(regionCode: string): string {
  return `district-training-subsidy-${regionCode}`;
}
