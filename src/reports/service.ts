/**
 * The aggregate report: what the directory's members and accredited observers
 * may know about how it is used, with nothing that names a state's contacts,
 * a request's parties or its content. Each figure comes from its own domain's
 * service (this module reads no table):
 *   participation  how many states participate; per domain, how many of them
 *                  list at least one contact serving it (states)
 *   reachability   rates over every check round (checks)
 *   requests       requests sent per calendar month, counts only (requests)
 */
import type { Actor } from '../auth/actor.ts';
import { authorize, stateOf } from '../auth/policy.ts';
import type { ChecksService } from '../checks/service.ts';
import type { ContactsService } from '../contacts/service.ts';
import { forbidden } from '../http/problem.ts';
import type { RequestsService } from '../requests/service.ts';
import type { StatesService } from '../states/service.ts';

export function createReportsService(s: { states: StatesService; contacts: ContactsService; checks: ChecksService; requests: RequestsService }) {
  async function aggregate(actor: Actor, exercise: boolean) {
    authorize(actor, 'reports.read-aggregate');
    // A state's users read it while their state participates (like the proposals).
    const own = stateOf(actor);
    if (own && (await s.states.participation(own)).status !== 'participating') throw forbidden(`${own} is not participating`);
    const participating = (await s.states.listParticipating()).map((p) => p.state);
    const [statesPerDomain, reachability, byMonth] = await Promise.all([
      s.contacts.statesPerDomain(actor, participating),
      s.checks.reachabilityRates(actor, exercise),
      s.requests.volumesByMonth(actor, exercise),
    ]);
    return {
      exercise,
      participation: { participatingStates: participating.length, statesWithContactsByDomain: statesPerDomain },
      reachability,
      requests: { total: byMonth.reduce((n, m) => n + m.requests, 0), byMonth },
    };
  }

  return { aggregate };
}

export type ReportsService = ReturnType<typeof createReportsService>;
