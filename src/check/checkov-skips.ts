/**
 * checkov checks `shipyard check` skips, each with the reason a reviewer can weigh. An entry is a
 * decision, not a silencer: it names why Shipyard's design already covers the risk or accepts it.
 * (The bootstrap helper keeps its own list in `src/policy/checkov-skips.ts`; the two are to be merged.)
 */
export interface CheckovSkip {
  /** checkov check id, e.g. `CKV_AWS_144`. */
  readonly id: string;
  readonly reason: string;
}

export const CHECKOV_SKIPS: readonly CheckovSkip[] = [
  { id: "CKV_AWS_144", reason: "S3 cross-region replication: state, audit and backup buckets are versioned and KMS-encrypted; a second region is a cost the config does not ask for" },
  { id: "CKV_AWS_18", reason: "S3 access logging: CloudTrail records data events of the buckets that matter (audit.s3DataEvents); access logs would need a log bucket per account" },
  { id: "CKV2_AWS_62", reason: "S3 event notifications are not used by any consumer" },
];
