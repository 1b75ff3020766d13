/**
 * The one place `@peculiar/x509` is loaded: after the Reflect shim, with Node's WebCrypto as its provider.
 * Everything in `core/ca/` imports x509 from here, never from the package directly.
 */
import './reflect-shim.js';

import { webcrypto } from 'node:crypto';

import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export { x509, webcrypto };
export const subtle = webcrypto.subtle;
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** ECDSA on P-256 with SHA-256: the only key and signature algorithm llmgate's CA uses. */
export const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const EC_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
