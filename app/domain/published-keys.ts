/**
 * The published key set (/.well-known/certificate-keys.json): a JSON Web Key Set whose keys carry,
 * besides the Ed25519 public key, when they were made and retired and the certificate (PEM) of the
 * key that signed the PDF files in their time.
 */
export interface PublishedKeyJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid: string;
  alg: "EdDSA";
  use: "sig";
  status: "current" | "retired";
  created: string;
  retired: string | null;
  pdf_certificate: string | null;
}

export interface PublishedKeySet {
  issuer: string;
  keys: PublishedKeyJwk[];
}
