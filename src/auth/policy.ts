/**
 * THE authorization policy: one table of actions, each with the rule that
 * decides it from (actor, resource). Every route declares the action it
 * performs (`config: { action }`, enforced at registration by the auth
 * plugin); services ask the same table for resource-level decisions
 * (`authorize`, `permits`) and for the read rules that filter what a caller
 * sees (contact visibility, request content, check summaries, the ledger).
 *
 * Roles: `delegate` and `authority` speak for one state (`stateOf`); the
 * authority also manages its state's users, API keys and dual-control policy.
 * `secretariat` runs the directory, `auditor` reads everything that is not
 * confidential contact data, `observer` (a user of an accredited observer
 * organisation) reads only the public parts and the aggregate report.
 *
 * An API key acts as its user within its scopes: a key without the `write`
 * scope is refused every action marked `write`.
 */
import { forbidden } from '../http/problem.ts';
import type { Actor, Role } from './actor.ts';

/** The state a caller speaks for (delegates and authorities), else null. */
export const stateOf = (actor: Actor | null | undefined): string | null =>
  actor && (actor.role === 'delegate' || actor.role === 'authority') && actor.state ? actor.state : null;
/** Speaks for `state` (a delegate or the authority of that state). */
export const actsFor = (actor: Actor | null | undefined, state: string): boolean => stateOf(actor) === state;
const isStaff = (actor: Actor) => actor.role === 'secretariat' || actor.role === 'auditor';
const isAuthorityOf = (actor: Actor, state: string | null | undefined) => actor.role === 'authority' && !!state && actor.state === state;

/** What a rule may look at. Fields are filled by whoever asks (route params or the loaded object). */
export interface Resource {
  /** The state the object belongs to (route `:code`, a contact's state, a user's state...). */
  state?: string | null | undefined;
  /** Contacts: metadata and the domains open to the caller through disclosure grants. */
  contact?: { state: string; domains: readonly string[]; visibility: 'confidential' | 'public'; openDomains?: ReadonlySet<string> };
  /** Requests: its two parties, the audiences both consented to, and who may make the transition. */
  request?: { sender: string; recipient: string; effective?: readonly string[]; by?: 'sender' | 'recipient' | 'either' };
  /** Users: the target user as it is and (updates) as it would become (`organization`: an observer's organisation). */
  user?: { id: string; role: Role; state: string | null; organization?: string | null; self: boolean };
  change?: { role: Role; state: string | null; organization?: string | null };
  /** API keys: the owner's state and whether the caller owns it. */
  apiKey?: { ownerState: string | null; own: boolean };
  /** Pending changes: whether the caller proposed it. */
  pending?: { state: string; proposedBySelf: boolean };
}

type Rule = (actor: Actor, r: Resource) => boolean;
interface ActionSpec {
  /** Changes something: refused to read-only API keys. */
  write: boolean;
  rule: Rule;
  /** Detail of the 403 when the rule says no. */
  deny: (r: Resource) => string;
  /** The route can decide it before the handler, from `:code` alone. */
  byRoute?: boolean;
}

const anyone: Rule = () => true;
const speaksFor: Rule = (a, r) => !!r.state && actsFor(a, r.state);
const roles =
  (...allowed: Role[]): Rule =>
  (a) =>
    allowed.includes(a.role);

/** Role rank: nobody may raise their own role; a role change of oneself must go down. */
const RANK: Record<Role, number> = { observer: 0, auditor: 1, delegate: 1, authority: 2, secretariat: 3 };

/**
 * Who may manage (register, change, deactivate) a user with this role and
 * state: the secretariat anyone (observers, of an accredited organisation,
 * only by the secretariat); a state's authority its own state's delegates
 * and authorities.
 */
function managesUser(actor: Actor, target: { role: Role; state: string | null }): boolean {
  if (actor.role === 'secretariat') return true;
  return (target.role === 'delegate' || target.role === 'authority') && isAuthorityOf(actor, target.state);
}

export const ACTIONS = {
  /** Health, docs, public directory, templates, the ledger public key. */
  public: { write: false, rule: anyone, deny: () => 'never denied' },
  'states.read': { write: false, rule: anyone, deny: () => 'never denied' },
  'participation.change': { write: true, rule: speaksFor, byRoute: true, deny: (r) => `only delegates of ${r.state} may change its participation` },

  'contacts.create': { write: true, rule: speaksFor, byRoute: true, deny: (r) => `only delegates of ${r.state} may add its contacts` },
  'contacts.list': { write: false, rule: anyone, deny: () => 'never denied' },
  /** THE contact visibility rule (see contacts/service.ts canSee). */
  'contacts.read': {
    write: false,
    rule: (a, { contact: c }) => {
      if (!c) return false;
      if (c.visibility === 'public') return true;
      if (a.role === 'secretariat' || actsFor(a, c.state)) return true;
      if (!stateOf(a)) return false;
      return c.domains.some((d) => c.openDomains?.has(d) ?? false);
    },
    deny: () => 'no such contact',
  },
  /** The secretariat's verification note: the secretariat and the owning state only. */
  'contacts.read-note': { write: false, rule: (a, r) => a.role === 'secretariat' || speaksFor(a, r), deny: () => 'not allowed' },
  'contacts.update': { write: true, rule: speaksFor, deny: (r) => `only delegates of ${r.state} may change its contacts` },
  'contacts.delete': { write: true, rule: speaksFor, deny: (r) => `only delegates of ${r.state} may remove its contacts` },
  'contacts.confirm': { write: true, rule: speaksFor, deny: (r) => `only delegates of ${r.state} may confirm its contacts` },
  'contacts.verify': { write: true, rule: roles('secretariat'), deny: () => 'only the secretariat verifies contacts' },
  'directory.read': { write: false, rule: anyone, deny: () => 'never denied' },

  'disclosure.change': { write: true, rule: speaksFor, byRoute: true, deny: (r) => `only delegates of ${r.state} may change its disclosures` },
  'disclosure.list': {
    write: false,
    rule: (a, r) => speaksFor(a, r) || isStaff(a),
    byRoute: true,
    deny: (r) => `only delegates of ${r.state}, the secretariat and auditors may list its disclosures`,
  },

  'requests.send': { write: true, rule: (a) => stateOf(a) !== null, byRoute: true, deny: () => 'only delegates of a participating state may send requests' },
  'requests.list': { write: false, rule: (a) => stateOf(a) !== null || a.role === 'secretariat', byRoute: true, deny: () => 'only delegates and the secretariat list requests' },
  /** THE request-content rule: the two parties always; others where both parties consented to an audience including them. */
  'requests.read-content': {
    write: false,
    rule: (a, { request: q }) => {
      if (!q) return false;
      if (actsFor(a, q.sender) || actsFor(a, q.recipient)) return true;
      const effective = q.effective ?? [];
      if (effective.includes('public')) return true;
      if (a.role === 'secretariat') return effective.includes('secretariat');
      const own = stateOf(a);
      return own !== null && effective.includes(own);
    },
    deny: () => 'no such request',
  },
  /** Metadata (states, times, status; never content): the secretariat. */
  'requests.read-metadata': { write: false, rule: roles('secretariat'), deny: () => 'no such request' },
  /** A party to the request, in the role the transition needs (sender, recipient or either). */
  'requests.transition': {
    write: true,
    rule: (a, { request: q }) => {
      if (!q) return false;
      const side = actsFor(a, q.sender) ? 'sender' : actsFor(a, q.recipient) ? 'recipient' : null;
      return side !== null && (q.by === undefined || q.by === 'either' || q.by === side);
    },
    deny: (r) => `only the ${r.request?.by ?? 'parties'} may do this`,
  },
  'requests.party': { write: false, rule: (a, { request: q }) => !!q && (actsFor(a, q.sender) || actsFor(a, q.recipient)), deny: () => 'no such request' },

  'checks.start': { write: true, rule: roles('secretariat'), byRoute: true, deny: () => 'only the secretariat starts reachability checks' },
  'checks.list': { write: false, rule: isStaff, byRoute: true, deny: () => 'only the secretariat and auditors list checks' },
  /** THE check-summary rule: staff see every state's result, a state's delegates their own state's row; `state` is the row's. */
  'checks.read': { write: false, rule: (a, r) => isStaff(a) || (r.state === undefined ? stateOf(a) !== null : speaksFor(a, r)), deny: () => 'no such check' },
  'checks.acknowledge': { write: true, rule: (a) => stateOf(a) !== null, byRoute: true, deny: () => 'only delegates acknowledge reachability checks' },
  'reports.read': { write: false, rule: isStaff, byRoute: true, deny: () => 'only the secretariat and auditors read reports' },
  /**
   * The aggregate report (participation, reachability rates, request volumes by month; no per-state
   * figure, no contact, no content): staff, observers, and the users of a state (the service refuses
   * a state that is not participating).
   */
  'reports.read-aggregate': {
    write: false,
    rule: (a) => isStaff(a) || a.role === 'observer' || stateOf(a) !== null,
    byRoute: true,
    deny: () => 'only the secretariat, auditors, observers and participating states read the aggregate report',
  },

  /** THE ledger-read rule: staff all entries, a state's delegates the entries their state is party to (`state`: one of the parties), observers none. */
  'ledger.read-entries': {
    write: false,
    rule: (a, r) => isStaff(a) || (stateOf(a) !== null && (r.state === undefined || speaksFor(a, r))),
    byRoute: true,
    deny: () => 'observers cannot read the ledger',
  },
  'ledger.read-checkpoints': { write: false, rule: anyone, deny: () => 'never denied' },
  'ledger.sign-checkpoint': { write: true, rule: isStaff, byRoute: true, deny: () => 'only the secretariat and auditors may have a checkpoint signed on demand' },

  'webhook.change': { write: true, rule: speaksFor, byRoute: true, deny: (r) => `only delegates of ${r.state} may change its webhook` },
  'webhook.read': { write: false, rule: (a, r) => speaksFor(a, r) || a.role === 'secretariat', byRoute: true, deny: (r) => `only delegates of ${r.state} and the secretariat may see its webhook` },

  /** Witness status (cosignatures per witness, last errors): staff. Tiles: hash tiles to any caller; entry bundles name the parties, so staff only. */
  'ledger.witness-status': { write: false, rule: isStaff, byRoute: true, deny: () => 'only the secretariat and auditors may see the witness status' },
  'ledger.read-tiles': { write: false, rule: anyone, deny: () => 'never denied' },
  'ledger.read-entry-bundles': { write: false, rule: isStaff, deny: () => 'entry bundles name the parties: secretariat and auditors only' },

  /** Offline exports of what a state may see, and the key they are encrypted to: those who speak for the state (others: 404 for the export). */
  'exports.create': { write: false, rule: speaksFor, deny: () => 'no such export' },
  'exports.key-read': { write: false, rule: speaksFor, deny: () => 'no such export key' },
  'exports.key-change': { write: true, rule: speaksFor, byRoute: true, deny: (r) => `only delegates of ${r.state} may change its export key` },

  /** Governance: a state's users and the secretariat propose; a state's users vote (the service checks the electorate); the proposer withdraws. */
  'governance.propose': { write: true, rule: (a) => stateOf(a) !== null || a.role === 'secretariat', byRoute: true, deny: () => 'only delegates of participating states and the secretariat may propose' },
  /** Proposals: the service grades what each caller sees (participating states, staff and observers; others refused). */
  'governance.read': { write: false, rule: anyone, deny: () => 'never denied' },
  'governance.vote': { write: true, rule: (a) => stateOf(a) !== null, byRoute: true, deny: () => 'only delegates of a state may vote' },
  'governance.withdraw': { write: true, rule: anyone, deny: () => 'only the proposer may withdraw a proposal' },
  'governance.settings': { write: false, rule: anyone, deny: () => 'never denied' },
  /** Accredited observers' organisations (their contact person: the secretariat only, decided by the service). */
  'observers.list': { write: false, rule: anyone, deny: () => 'never denied' },

  /** Users: the secretariat manages all; a state's authority its state's delegates and authorities; nobody raises their own role. */
  'users.create': {
    write: true,
    rule: (a, { change }) => !!change && managesUser(a, change),
    deny: () => "only the secretariat, or a state's authority for its own state's delegates and authorities, may register users",
  },
  'users.list': {
    write: false,
    rule: (a, r) => isStaff(a) || (r.state !== undefined && r.state !== null && isAuthorityOf(a, r.state)),
    deny: () => "only the secretariat, auditors and a state's authority (its own state: ?state=) may list users",
  },
  'users.read': { write: false, rule: (a, { user: u }) => !!u && (u.self || isStaff(a) || managesUser(a, u)), deny: () => 'no such user' },
  'users.update': {
    write: true,
    rule: (a, { user: u, change }) => {
      if (!u || !change) return false;
      if (u.self) {
        // Oneself: personal fields freely; a role or state change only downwards and only if one could grant it;
        // an observer does not move itself to another organisation.
        const sameOrganization = (change.organization ?? null) === (u.organization ?? null);
        if (change.role === u.role && change.state === u.state) return sameOrganization || managesUser(a, change);
        return RANK[change.role] < RANK[u.role] && managesUser(a, change);
      }
      return managesUser(a, u) && managesUser(a, change);
    },
    deny: () => "only the secretariat, or a state's authority for its own state's delegates and authorities, may change users; nobody raises their own role",
  },
  'users.deactivate': { write: true, rule: (a, { user: u }) => !!u && managesUser(a, u), deny: () => "only the secretariat, or the user's state authority, may deactivate a user" },

  /** API keys: any registered user for itself (not with an API key); an authority sees and revokes its state's; the secretariat all. */
  'apikeys.create': { write: true, rule: (a) => a.apiKeyId === undefined, deny: () => 'an API key cannot create API keys' },
  'apikeys.list': { write: false, rule: anyone, deny: () => 'never denied' },
  'apikeys.revoke': {
    write: true,
    rule: (a, { apiKey: k }) => !!k && (k.own || a.role === 'secretariat' || isAuthorityOf(a, k.ownerState)),
    deny: () => 'no such API key',
  },
  /** See (in a list) keys of others: the secretariat all, an authority its state's. */
  'apikeys.read': { write: false, rule: (a, { apiKey: k }) => !!k && (k.own || a.role === 'secretariat' || isAuthorityOf(a, k.ownerState)), deny: () => 'no such API key' },

  /** Dual control. */
  'policy.change': { write: true, rule: (a, r) => isAuthorityOf(a, r.state) || a.role === 'secretariat', byRoute: true, deny: (r) => `only the authority of ${r.state} may change its policy` },
  'policy.read': { write: false, rule: (a, r) => speaksFor(a, r) || isStaff(a), byRoute: true, deny: (r) => `only users of ${r.state}, the secretariat and auditors may read its policy` },
  'pending.list': { write: false, rule: (a, r) => speaksFor(a, r) || isStaff(a), byRoute: true, deny: (r) => `only users of ${r.state}, the secretariat and auditors may list its pending changes` },
  /** One pending change by id: the service applies 'pending.list' to its state (404 otherwise). */
  'pending.read': { write: false, rule: anyone, deny: () => 'never denied' },
  'pending.decide': {
    write: true,
    rule: (a, { pending: p }) => !!p && actsFor(a, p.state),
    deny: () => 'only another delegate or the authority of the same state may approve or reject a pending change',
  },
  'pending.approve-own': { write: true, rule: (_a, { pending: p }) => !!p && !p.proposedBySelf, deny: () => 'the proposer cannot approve their own change' },
} as const satisfies Record<string, ActionSpec>;

export type Action = keyof typeof ACTIONS;
export const isAction = (name: unknown): name is Action => typeof name === 'string' && Object.hasOwn(ACTIONS, name);
export const isWriteAction = (action: Action): boolean => ACTIONS[action].write;
export const decidedByRoute = (action: Action): boolean => (ACTIONS[action] as ActionSpec).byRoute === true;

/** The one decision: may `actor` perform `action` on `resource`? (API key scopes included.) */
export function permits(actor: Actor | null, action: Action, resource: Resource = {}): boolean {
  const spec: ActionSpec = ACTIONS[action];
  if (action === 'public') return true;
  if (!actor) return action === 'contacts.read' && resource.contact?.visibility === 'public';
  if (spec.write && actor.scopes && !actor.scopes.includes('write')) return false;
  return spec.rule(actor, resource);
}

/** An API key's scopes allow the action (the services decide the rest). */
export function requireScope(actor: Actor, action: Action): void {
  if (ACTIONS[action].write && actor.scopes && !actor.scopes.includes('write')) throw forbidden('this API key has the read scope only');
}

/** Like permits, but refuses with 403 problem details (a read-only key gets its own reason). */
export function authorize(actor: Actor, action: Action, resource: Resource = {}): void {
  if (permits(actor, action, resource)) return;
  const spec: ActionSpec = ACTIONS[action];
  if (spec.write && actor.scopes && !actor.scopes.includes('write')) throw forbidden('this API key has the read scope only');
  throw forbidden(spec.deny(resource));
}

/**
 * Which contacts rows a caller's directory query may touch before the
 * visibility rule filters them: the secretariat every state; a state's
 * users their own and those whose grants open something to them; others
 * (observers, auditors, the public) public contacts only.
 */
export function directoryScope(actor: Actor | null): 'all' | 'own-and-granted' | 'public-only' {
  if (actor?.role === 'secretariat') return 'all';
  if (stateOf(actor)) return 'own-and-granted';
  return 'public-only';
}

/** Ledger entries a reader may list: every entry, or those one state is party to. */
export function ledgerScope(actor: Actor): { all: true } | { party: string } {
  authorize(actor, 'ledger.read-entries');
  return isStaff(actor) ? { all: true } : { party: stateOf(actor)! };
}
