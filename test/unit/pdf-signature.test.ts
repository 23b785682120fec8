import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";
import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import { selfSignedPdfCertificate } from "../../app/pdf/pdf-certificate.server";
import { checkPdfSignature, derPrefix, signPdf } from "../../app/pdf/pdf-signature.server";

function tinyPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A6", info: { CreationDate: new Date(Date.UTC(2026, 0, 1)) } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.text("certificate");
  doc.end();
  return done;
}

/** The CMS signature in the file, exactly as long as its DER header says (the placeholder pads it with zero bytes). */
function cmsOf(pdf: Buffer): Buffer {
  const text = pdf.toString("latin1");
  const [, , b, c] = text
    .slice(text.lastIndexOf("/ByteRange"))
    .match(/\[\s*(\d+)\s+(\d+)\s+(\d+)/)!
    .map(Number);
  const padded = forge.util.hexToBytes(text.slice(b + 1, c - 1));
  return Buffer.from(forge.asn1.toDer(derPrefix(padded)).getBytes(), "binary");
}

describe("the PDF's own signature", () => {
  it("is read whole even when the signature's last byte is zero, like the padding after it", async () => {
    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const key = { privateKey, certificatePem: selfSignedPdfCertificate(privateKey, "test-key") };
    const pdf = await tinyPdf();
    // One RSA signature in 256 ends in a zero byte; the signing time moves the signature until one does.
    let signed: Buffer | null = null;
    for (let second = 0; second < 6000 && !signed; second++) {
      const candidate = await signPdf(pdf, key, { signer: "test", reason: "test", at: new Date(Date.UTC(2026, 0, 1) + second * 1000) });
      const cms = cmsOf(candidate);
      if (cms[cms.length - 1] === 0) signed = candidate;
    }
    expect(signed).not.toBeNull();
    expect(checkPdfSignature(signed!)).toMatchObject({ present: true, wholeFile: true, intact: true, signatureValid: true });
  });
});
