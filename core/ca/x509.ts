/**
 * The one place `@peculiar/x509` is loaded: after the Reflect metadata polyfill, with Node's WebCrypto as its provider.
 * Everything in `core/ca/` imports x509 from here, never from the package directly.
 */
// @peculiar/x509 v2 resolves providers through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';

import { webcrypto } from 'node:crypto';

import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export { x509 };
export const subtle = webcrypto.subtle;

/** ECDSA on P-256: the only key algorithm llmgate's CA and leaves use (signatures are SHA-256). */
export const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
