/**
 * Receipts: what a state-changing response returns so the caller can hold
 * the server to it (the entry's index and leaf hash).
 *
 * A change's entry gets its index only when the integrator sequences it,
 * after the change has committed. So ledger.append() hands back a
 * QueuedReceipt: it names the queued entry (its ticket) and is filled in by
 * ledger.change() once the entry is integrated, before the change returns.
 * Reading it earlier throws, so no code can use an index it does not have.
 * Serialised before it is filled in (an idempotency key stores the response
 * inside the change's transaction), it is `{ "ledgerTicket": "<id>" }`, which
 * ledger.change() turns back into a receipt when the stored response is
 * replayed.
 */
export interface Receipt {
  index: number;
  leafHash: string;
}

export class QueuedReceipt implements Receipt {
  readonly #ticket: string;
  #settled: Receipt | undefined;

  constructor(ticket: string) {
    this.#ticket = ticket;
  }

  get ticket(): string {
    return this.#ticket;
  }

  get settled(): boolean {
    return this.#settled !== undefined;
  }

  get index(): number {
    return this.#need().index;
  }

  get leafHash(): string {
    return this.#need().leafHash;
  }

  settle(receipt: Receipt): void {
    this.#settled = { index: receipt.index, leafHash: receipt.leafHash };
  }

  toJSON(): Receipt | { ledgerTicket: string } {
    return this.#settled ? { ...this.#settled } : { ledgerTicket: this.#ticket };
  }

  #need(): Receipt {
    if (!this.#settled) throw new Error(`ledger entry ${this.#ticket} has no index yet: read a receipt after ledger.change() returns`);
    return this.#settled;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * Finds the receipts in a change's result: QueuedReceipts, and the
 * `{ ledgerTicket }` form of a stored response under a `receipt` key, which
 * it replaces in place with a QueuedReceipt (only there: a caller's own
 * free-form JSON elsewhere in a result is never taken for a ticket). Walks
 * plain objects and arrays only, a few levels deep.
 */
export function collectReceipts(value: unknown, into: QueuedReceipt[], depth = 0, key?: string): unknown {
  if (value instanceof QueuedReceipt) {
    into.push(value);
    return value;
  }
  if (depth > 6) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = collectReceipts(value[i], into, depth + 1);
    return value;
  }
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  if (key === 'receipt' && keys.length === 1 && keys[0] === 'ledgerTicket' && typeof value.ledgerTicket === 'string' && /^[0-9]{1,19}$/.test(value.ledgerTicket)) {
    const revived = new QueuedReceipt(value.ledgerTicket);
    into.push(revived);
    return revived;
  }
  for (const k of keys) value[k] = collectReceipts(value[k], into, depth + 1, k);
  return value;
}
