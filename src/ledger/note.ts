/** Moved to the verifier library (src/tlog/note.ts); re-exported here for the ledger's existing imports. */
export * from '../tlog/note.ts';
