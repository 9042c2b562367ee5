/** Moved to the verifier library (src/tlog/merkle.ts); re-exported here for the ledger's existing imports. */
export * from '../tlog/merkle.ts';
