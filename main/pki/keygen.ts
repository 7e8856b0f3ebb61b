/**
 * Private key generation with Node's crypto (native OpenSSL).
 *
 * RSA keys are generated on the thread pool (hundreds of milliseconds of prime search must not
 * block the main process). EC keys take ~50 µs, less than the thread-pool round trip itself, so
 * they are generated synchronously.
 */
import { createPublicKey, generateKeyPair, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { CertdeskError } from '../../shared/errors.js';
import { KEY_TYPES, type KeyType } from '../../shared/pki-types.js';

const RSA_BITS: Readonly<Partial<Record<KeyType, number>>> = { 'rsa-2048': 2048, 'rsa-3072': 3072, 'rsa-4096': 4096 };
const EC_CURVES: Readonly<Partial<Record<KeyType, string>>> = { 'ec-p256': 'P-256', 'ec-p384': 'P-384' };

const generateKeyPairAsync = promisify(generateKeyPair);

// The public half of each key generated here, so building its first CSR or certificate does not
// derive it again. Weak: an entry goes away with its private KeyObject.
const publicHalves = new WeakMap<KeyObject, KeyObject>();

/** The public KeyObject of a private key (or the key itself when it is already public). */
export function publicKeyOf(key: KeyObject): KeyObject {
  if (key.type !== 'private') return key;
  let pub = publicHalves.get(key);
  if (pub === undefined) {
    pub = createPublicKey(key);
    publicHalves.set(key, pub);
  }
  return pub;
}

/** Generates a private key of the given type (RSA with e = 65537, or ECDSA on a NIST curve). */
export async function generateKey(type: KeyType): Promise<KeyObject> {
  const bits = RSA_BITS[type];
  const namedCurve = EC_CURVES[type];
  let pair: { publicKey: KeyObject; privateKey: KeyObject };
  if (bits !== undefined) {
    pair = await generateKeyPairAsync('rsa', { modulusLength: bits, publicExponent: 65537 });
  } else if (namedCurve !== undefined) {
    pair = generateKeyPairSync('ec', { namedCurve });
  } else {
    throw new CertdeskError('INVALID_ARGUMENT', `Unknown key type "${String(type)}": use one of ${KEY_TYPES.join(', ')}.`);
  }
  publicHalves.set(pair.privateKey, pair.publicKey);
  return pair.privateKey;
}

/** The Certdesk key type of a private or public key, or null when it is none of the types Certdesk generates. */
export function keyTypeOf(key: KeyObject): KeyType | null {
  if (key.type === 'secret') return null;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    switch (details.modulusLength) {
      case 2048:
        return 'rsa-2048';
      case 3072:
        return 'rsa-3072';
      case 4096:
        return 'rsa-4096';
      default:
        return null;
    }
  }
  if (key.asymmetricKeyType === 'ec') {
    switch (details.namedCurve) {
      case 'prime256v1':
        return 'ec-p256';
      case 'secp384r1':
        return 'ec-p384';
      default:
        return null;
    }
  }
  return null;
}
