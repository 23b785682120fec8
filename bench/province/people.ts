import { checkCharacter, parseResidentId } from "../../app/domain/resident-id";

/**
 * Names, resident ID numbers and mobile numbers for people numbered 0, 1, 2…: the same number always
 * gives the same person, and no two numbers share an ID number or a mobile, as the app's unique
 * indexes require.
 */

const SURNAMES = [
  ..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤",
];
const GIVEN = [
  "秀英",
  "桂英",
  "秀兰",
  "玉兰",
  "桂兰",
  "秀珍",
  "凤英",
  "玉珍",
  "玉英",
  "兰英",
  "海燕",
  "丽萍",
  "春梅",
  "晓红",
  "永红",
  "文静",
  "丽华",
  "雪梅",
  "美玲",
  "建华",
  "建国",
  "建平",
  "志刚",
  "国强",
  "志强",
  "国平",
  "海涛",
  "建明",
  "卫东",
  "晓明",
  "立新",
  "红霞",
  "丽娟",
  "秀梅",
  "艳华",
  "慧敏",
  "婷婷",
  "晓燕",
  "静怡",
  "佳琪",
  "芳",
  "敏",
  "静",
  "丽",
  "艳",
  "娟",
  "霞",
  "燕",
  "琴",
  "萍",
  "勇",
  "军",
  "杰",
  "涛",
  "斌",
  "磊",
  "超",
  "鹏",
  "华",
  "平",
];

export function personName(n: number): string {
  return SURNAMES[n % SURNAMES.length] + GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length];
}

/** Every character a generated name may hold, to check once against the certificate font. */
export const NAME_CHARACTERS = SURNAMES.join("") + GIVEN.join("");

const FIRST_BIRTHDAY = Date.UTC(1962, 0, 1);
const BIRTH_DAYS = 12_000; // people born 1962–1994: caregivers in work

/**
 * A valid GB 11643 number for person `n` registered in `areaCode`: a birth date and a sequence
 * number that together encode `n` (unique up to 12 million people), then the check character.
 */
export function residentId(n: number, areaCode: string): string {
  const birth = new Date(FIRST_BIRTHDAY + (n % BIRTH_DAYS) * 86_400_000).toISOString().slice(0, 10).replaceAll("-", "");
  const sequence = String(Math.floor(n / BIRTH_DAYS) % 1000).padStart(3, "0");
  const first17 = `${areaCode}${birth}${sequence}`;
  return first17 + checkCharacter(first17);
}

/** The generator refuses a number the app would refuse: this is what the roster check reads. */
export function assertValidResidentId(value: string, today: string): void {
  const parsed = parseResidentId(value, today);
  if (!parsed.ok) throw new Error(`generated ID number ${value} is not valid (${parsed.error})`);
}

const MOBILE_PREFIXES = ["135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "188"];

export function mobileNumber(n: number): string {
  return MOBILE_PREFIXES[n % MOBILE_PREFIXES.length] + String(Math.floor(n / MOBILE_PREFIXES.length)).padStart(8, "0");
}
