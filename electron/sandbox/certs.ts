// The sandbox's throwaway certificate authority and its server certificate.
//
// X.509 creation is not in node:crypto, but the pieces are: EC P-256 keys (generated in a
// millisecond, unlike RSA-2048 which takes a second or more on a small machine), the public key
// as DER SubjectPublicKeyInfo, and ECDSA signatures already in the DER form a certificate wants.
// What is left is a few DER TLVs, written here, and checked by parsing the result with
// crypto.X509Certificate (and by every TLS handshake in the tests). No dependency needed.
import { X509Certificate, createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Host names the sandbox answers for; all are in the server certificate's SAN. */
export const SANDBOX_HOSTS = {
  x: ['api.x.com', 'upload.x.com', 'api.twitter.com', 'upload.twitter.com'],
  facebook: ['graph.facebook.com'],
  /** The inspector/control surface (also reachable as 127.0.0.1 and localhost). */
  control: ['sandbox.local', 'localhost'],
} as const;

export const CA_CERT_FILE = 'sandbox-ca.pem';
export const CA_KEY_FILE = 'sandbox-ca.key';

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  /** Where it was read from or written to; null when in memory only. */
  path: string | null;
  /** True when this run created it. */
  created: boolean;
}

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

// ---- DER -------------------------------------------------------------------------------------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bits = (b: Buffer, unused = 0): Buffer => tlv(0x03, Buffer.from([unused]), b);
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));

function integer(value: Buffer | number): Buffer {
  let b = typeof value === 'number' ? Buffer.from([value]) : value;
  let start = 0;
  while (start < b.length - 1 && b[start] === 0 && ((b[start + 1] ?? 0) & 0x80) === 0) start++;
  b = b.subarray(start);
  if (((b[0] ?? 0) & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [(arcs[0] ?? 0) * 40 + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  const year = date.getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(iso.slice(2) + 'Z')) : tlv(0x18, Buffer.from(iso + 'Z'));
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

function name(commonName: string): Buffer {
  return seq(
    set(seq(oid(OID.organization), utf8('Social Care Desk sandbox'))),
    set(seq(oid(OID.commonName), utf8(commonName))),
  );
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function keyId(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest();
}

interface CertSpec {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  issuerKeyId: Buffer;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

function makeCertificate(spec: CertSpec): string {
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const extensions: Buffer[] = [
    extension(OID.basicConstraints, true, spec.ca ? seq(bool(true)) : seq()),
    // keyUsage: CA = digitalSignature|keyCertSign|cRLSign (0x86, 1 unused bit); leaf = digitalSignature.
    extension(OID.keyUsage, true, spec.ca ? bits(Buffer.from([0x86]), 1) : bits(Buffer.from([0x80]), 7)),
    extension(OID.subjectKeyIdentifier, false, octets(keyId(spec.publicKey))),
    extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, spec.issuerKeyId))),
  ];
  if (!spec.ca) {
    extensions.push(extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))));
    const names = [
      ...(spec.dnsNames ?? []).map((dns) => tlv(0x82, Buffer.from(dns, 'ascii'))),
      ...(spec.ipAddresses ?? []).map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number)))),
    ];
    extensions.push(extension(OID.subjectAltName, false, seq(...names)));
  }
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const tbs = seq(
    tlv(0xa0, integer(2)),
    integer(serial),
    algorithm,
    name(spec.issuer),
    seq(time(spec.notBefore), time(spec.notAfter)),
    name(spec.subject),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, spec.signingKey);
  const der = seq(tbs, algorithm, bits(signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

// ---- CA and server certificate -------------------------------------------------------------

const DAY = 86_400_000;

/** A new throwaway CA (EC P-256, ten years). */
export function createCertificateAuthority(): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Date.now();
  const certPem = makeCertificate({
    subject: 'Social Care Desk sandbox CA',
    issuer: 'Social Care Desk sandbox CA',
    publicKey,
    signingKey: privateKey,
    issuerKeyId: keyId(publicKey),
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    ca: true,
  });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { certPem, keyPem };
}

/** Checks that a CA read from disk is one: parseable, a CA, matching its key, still valid. */
function validateCertificateAuthority(certPem: string, keyPem: string, where: string): void {
  let cert: X509Certificate;
  let key: KeyObject;
  try {
    cert = new X509Certificate(certPem);
    key = createPrivateKey(keyPem);
  } catch (error) {
    throw new Error(`The sandbox CA in ${where} cannot be read (${(error as Error).message}). Delete ${CA_CERT_FILE} and ${CA_KEY_FILE} there to make a new one.`, { cause: error });
  }
  if (!cert.ca) throw new Error(`The sandbox CA in ${where} is not a CA certificate. Delete ${CA_CERT_FILE} and ${CA_KEY_FILE} there to make a new one.`);
  if (!cert.checkPrivateKey(key)) throw new Error(`The sandbox CA key in ${where} does not match its certificate. Delete ${CA_CERT_FILE} and ${CA_KEY_FILE} there to make a new one.`);
  if (Date.parse(cert.validTo) < Date.now() + DAY) {
    throw new Error(`The sandbox CA in ${where} has expired (${cert.validTo}). Delete ${CA_CERT_FILE} and ${CA_KEY_FILE} there to make a new one.`);
  }
}

/**
 * The CA kept in dataDir (sandbox-ca.pem + sandbox-ca.key, the key 0600), created there at the
 * first run; without a dataDir, a new in-memory CA. A damaged pair refuses with a message
 * rather than being silently replaced (the user may have trusted it somewhere).
 */
export function loadOrCreateCertificateAuthority(dataDir?: string): CertificateAuthority {
  if (!dataDir) return { ...createCertificateAuthority(), path: null, created: true };
  const certPath = join(dataDir, CA_CERT_FILE);
  const keyPath = join(dataDir, CA_KEY_FILE);
  const hasCert = existsSync(certPath);
  const hasKey = existsSync(keyPath);
  if (hasCert && hasKey) {
    const certPem = readFileSync(certPath, 'utf8');
    const keyPem = readFileSync(keyPath, 'utf8');
    validateCertificateAuthority(certPem, keyPem, dataDir);
    return { certPem, keyPem, path: certPath, created: false };
  }
  if (hasCert !== hasKey) {
    throw new Error(`Only one of ${CA_CERT_FILE} and ${CA_KEY_FILE} is in ${dataDir}. Delete the other to make a new sandbox CA.`);
  }
  mkdirSync(dataDir, { recursive: true });
  const ca = createCertificateAuthority();
  writeFileSync(keyPath, ca.keyPem, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, ca.certPem, { mode: 0o644 });
  return { ...ca, path: certPath, created: true };
}

/** A server certificate for every sandbox host name (and 127.0.0.1), signed by the CA. */
export function createServerCertificate(ca: { certPem: string; keyPem: string }): ServerCertificate {
  const caCert = new X509Certificate(ca.certPem);
  const caKey = createPrivateKey(ca.keyPem);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Date.now();
  const caNotAfter = Date.parse(caCert.validTo);
  const certPem = makeCertificate({
    subject: 'Social Care Desk sandbox',
    issuer: 'Social Care Desk sandbox CA',
    publicKey,
    signingKey: caKey,
    issuerKeyId: keyId(caCert.publicKey),
    notBefore: new Date(now - DAY),
    notAfter: new Date(Math.min(now + 397 * DAY, caNotAfter)),
    ca: false,
    dnsNames: [...SANDBOX_HOSTS.x, ...SANDBOX_HOSTS.facebook, ...SANDBOX_HOSTS.control],
    ipAddresses: ['127.0.0.1'],
  });
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
