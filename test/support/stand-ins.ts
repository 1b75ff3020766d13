/** What a stand-in looks like on the wire (core/pseudonym/stand-in.ts), for asserting on recorded bodies. */
export const ANY_STAND_IN = /\[\[[a-z0-9-]+_[0-9a-z]{8,16}\]\]/g;

/** A stand-in issued for a value found by `rule`. */
export function standInOf(rule: string): RegExp {
  return new RegExp(`\\[\\[${rule}_[0-9a-z]{8,16}\\]\\]`);
}
