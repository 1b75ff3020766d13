/**
 * The CA's X.509 NameConstraints (RFC 5280 section 4.2.1.10): permitted dNSName subtrees for the
 * provider hosts, and both IP address families excluded, so a certificate this CA signs can never be
 * valid for a bank, an intranet host or an IP address, whoever holds the key.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  NameConstraints,
  id_ce_nameConstraints,
} from '@peculiar/asn1-x509';

import { x509 } from './x509.js';

/** Every IPv4 and every IPv6 address (address and mask all zero bytes: 8 and 32 octets). */
export const EXCLUDED_IP_RANGES = ['0.0.0.0/0', '::/0'] as const;

export function nameConstraintsExtension(permittedHosts: readonly string[]): x509.Extension {
  const value = new NameConstraints({
    permittedSubtrees: new GeneralSubtrees(
      permittedHosts.map((host) => new GeneralSubtree({ base: new GeneralName({ dNSName: host }) })),
    ),
    excludedSubtrees: new GeneralSubtrees(
      EXCLUDED_IP_RANGES.map((range) => new GeneralSubtree({ base: new GeneralName({ iPAddress: range }) })),
    ),
  });
  return new x509.Extension(id_ce_nameConstraints, true, AsnConvert.serialize(value));
}

export interface CaNameConstraints {
  critical: boolean;
  /** Permitted dNSName subtrees, lowercased. */
  permittedDns: string[];
  /** Permitted subtrees of any other name type (llmgate never writes these). */
  permittedOther: number;
  /** Excluded iPAddress ranges in CIDR form, e.g. `0.0.0.0/0`. */
  excludedIp: string[];
}

/** Reads the NameConstraints of a certificate; undefined when it has none. Throws when the extension is malformed. */
export function readNameConstraints(cert: x509.X509Certificate): CaNameConstraints | undefined {
  const ext = cert.getExtension(id_ce_nameConstraints);
  if (ext === null) return undefined;
  const nc = AsnConvert.parse(ext.value, NameConstraints);
  const permittedDns: string[] = [];
  let permittedOther = 0;
  for (const subtree of nc.permittedSubtrees ?? []) {
    if (subtree.base.dNSName !== undefined) permittedDns.push(subtree.base.dNSName.toLowerCase());
    else permittedOther += 1;
  }
  const excludedIp: string[] = [];
  for (const subtree of nc.excludedSubtrees ?? []) {
    if (subtree.base.iPAddress !== undefined) excludedIp.push(subtree.base.iPAddress);
  }
  return { critical: ext.critical, permittedDns, permittedOther, excludedIp };
}

/** The constraints llmgate relies on: critical, DNS-only permitted subtrees, every IP excluded. */
export function constraintsComplete(nc: CaNameConstraints | undefined): nc is CaNameConstraints {
  return (
    nc !== undefined &&
    nc.critical &&
    nc.permittedDns.length > 0 &&
    nc.permittedOther === 0 &&
    EXCLUDED_IP_RANGES.every((range) => nc.excludedIp.includes(range))
  );
}
