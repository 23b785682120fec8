import { constants, createHash, createPublicKey, privateEncrypt, verify, type KeyObject } from "node:crypto";
import { plainAddPlaceholder } from "@signpdf/placeholder-plain";
import signpdfModule from "@signpdf/signpdf";
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import forge from "node-forge";

/**
 * The PDF file's own digital signature (PAdES baseline: a detached CMS signature over every byte of
 * the file but the signature itself), as Adobe Reader, WPS and poppler's pdfsig show it: any change
 * to the page, or to anything else in the file, breaks it. RSA because every PDF reader checks it.
 */

const signpdf = (signpdfModule as unknown as { default?: typeof signpdfModule }).default ?? signpdfModule;

/** DER prefix of a SHA-256 DigestInfo: PKCS#1 v1.5 signs this followed by the digest. */
const SHA256_DIGEST_INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

/** CMS structure by node-forge; the RSA operation itself by Node's crypto (native, about 1 ms). */
class CmsSigner extends Signer {
  constructor(
    private readonly privateKey: KeyObject,
    private readonly certificate: forge.pki.Certificate,
  ) {
    super();
  }

  async sign(pdf: Buffer, signingTime: Date = new Date()): Promise<Buffer> {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdf.toString("binary"));
    p7.addCertificate(this.certificate);
    const privateKey = this.privateKey;
    p7.addSigner({
      key: {
        sign: (md: forge.md.MessageDigest) =>
          privateEncrypt(
            { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
            Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), "binary")]),
          ).toString("binary"),
      } as unknown as forge.pki.rsa.PrivateKey,
      certificate: this.certificate,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.messageDigest },
        { type: forge.pki.oids.signingTime, value: signingTime as unknown as string },
      ],
    });
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), "binary");
  }
}

/** The DER value at the start of these bytes, ignoring what follows it (node-forge's option, missing from its types). */
export const derPrefix = (bytes: string) =>
  (forge.asn1.fromDer as unknown as (bytes: string, options: { parseAllBytes: boolean }) => forge.asn1.Asn1)(bytes, {
    parseAllBytes: false,
  });

const parsedCertificates = new Map<string, forge.pki.Certificate>();

export interface PdfSigningKey {
  privateKey: KeyObject;
  certificatePem: string;
}

/** The PDF, signed: a signature field is added and the signature placed in it. */
export async function signPdf(pdf: Buffer, key: PdfSigningKey, about: { signer: string; reason: string; at: Date }): Promise<Buffer> {
  let certificate = parsedCertificates.get(key.certificatePem);
  if (!certificate) parsedCertificates.set(key.certificatePem, (certificate = forge.pki.certificateFromPem(key.certificatePem)));
  const prepared = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: about.reason,
    contactInfo: "",
    name: about.signer,
    location: "",
    signatureLength: 4096,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: "医养结合培训与认证系统",
    signingTime: about.at,
  });
  return signpdf.sign(prepared, new CmsSigner(key.privateKey, certificate), about.at);
}

export type PdfSignatureCheck =
  | { present: false }
  | {
      present: true;
      /** The signed ranges reach the end of the file: nothing was added after signing. */
      wholeFile: boolean;
      /** The bytes signed are the bytes in the file (their digest is the one signed). */
      intact: boolean;
      /** The signature over them was made by the key of `certificatePem`. */
      signatureValid: boolean;
      certificatePem: string | null;
    };

/** The last signature in the file, checked as a PDF reader checks it. */
export function checkPdfSignature(pdf: Buffer): PdfSignatureCheck {
  const text = pdf.toString("latin1");
  const at = text.lastIndexOf("/ByteRange");
  if (at < 0) return { present: false };
  const range = text.slice(at).match(/^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/);
  if (!range) return { present: true, wholeFile: false, intact: false, signatureValid: false, certificatePem: null };
  const [a, b, c, d] = range.slice(1).map(Number);
  const wholeFile = a === 0 && c + d === pdf.length && b < c;
  if (!(b < c && c + d <= pdf.length))
    return { present: true, wholeFile: false, intact: false, signatureValid: false, certificatePem: null };
  // The placeholder is padded with zero bytes after the signature, which may itself end in a zero:
  // the DER's own length says where it ends.
  const hex = text
    .slice(a + b, c)
    .replace(/^</, "")
    .replace(/>$/, "");
  let p7: forge.pkcs7.PkcsSignedData & { rawCapture?: { signature: string; authenticatedAttributes: forge.asn1.Asn1[] } };
  try {
    p7 = forge.pkcs7.messageFromAsn1(derPrefix(forge.util.hexToBytes(hex.length % 2 ? `${hex}0` : hex))) as typeof p7;
  } catch {
    return { present: true, wholeFile, intact: false, signatureValid: false, certificatePem: null };
  }
  const certificate = p7.certificates[0];
  const capture = p7.rawCapture;
  if (!certificate || !capture?.authenticatedAttributes)
    return { present: true, wholeFile, intact: false, signatureValid: false, certificatePem: null };
  const certificatePem = forge.pki.certificateToPem(certificate);
  const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const digest = createHash("sha256").update(signed).digest("binary");
  const messageDigest = capture.authenticatedAttributes.find(
    (attr) => forge.asn1.derToOid((attr.value as forge.asn1.Asn1[])[0].value as string) === forge.pki.oids.messageDigest,
  );
  const signedDigest = messageDigest
    ? (((messageDigest.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as string)
    : null;
  const attributes = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, capture.authenticatedAttributes);
  let signatureValid = false;
  try {
    const publicKey = createPublicKey(forge.pki.publicKeyToPem(certificate.publicKey));
    signatureValid = verify(
      "sha256",
      Buffer.from(forge.asn1.toDer(attributes).getBytes(), "binary"),
      publicKey,
      Buffer.from(capture.signature, "binary"),
    );
  } catch {
    signatureValid = false;
  }
  return { present: true, wholeFile, intact: signedDigest === digest, signatureValid, certificatePem };
}

/**
 * The file as it was before it was signed: signing appends an incremental update, so the page as
 * rendered is everything up to the first end-of-file marker.
 */
export function unsignedPart(pdf: Buffer): Buffer {
  const end = pdf.indexOf("%%EOF");
  if (end < 0) return pdf;
  let stop = end + 5;
  while (pdf[stop] === 0x0d || pdf[stop] === 0x0a) stop++;
  return pdf.subarray(0, stop);
}

/** Whether two PEM certificates are the same certificate (whitespace and line breaks aside). */
export function sameCertificate(a: string, b: string): boolean {
  const body = (pem: string) => pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  return body(a) === body(b);
}
