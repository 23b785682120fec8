import type { HostKind } from "../../db/schema";

/**
 * 001 二(七)1: "在医养结合机构、基层医疗卫生机构和设有老年病科、康复中心等科室的医疗机构，设立医养结合培训基地".
 * A base may be designated only in one of these hosts.
 */
export const BASE_HOST_RULE = {
  title: "杭州市富阳区关于深入推进医疗健康与养老服务相结合的实施意见（征求意见稿）",
  document: "001_3c16bf19d0e16991.txt",
  section: "二(七)1",
  quote: "在医养结合机构、基层医疗卫生机构和设有老年病科、康复中心等科室的医疗机构，设立医养结合培训基地",
} as const;

export const ALLOWED_HOST_KINDS: readonly HostKind[] = [
  "integrated_care_institution",
  "primary_care_institution",
  "hospital_with_geriatrics_or_rehabilitation",
];

export function hostAllowed(kind: HostKind): boolean {
  return ALLOWED_HOST_KINDS.includes(kind);
}
