/**
 * One measurement: a discarded warm-up run, then the measured autocannon run
 * with the server process's CPU time read from /proc just before and after
 * (plus, for context, this process's and the whole machine's CPU time).
 */
import autocannon from 'autocannon';
import { cpuSeconds, machineBusySeconds } from './cpu.ts';

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface Measurement {
  name: string;
  url: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyAvgMs: number;
  totalRequests: number;
  /** Mean response size (headers + body) in bytes. */
  bytesPerResponse: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Server process CPU (user + system) during the measured run, seconds. */
  serverCpuSeconds: number;
  /** Server CPU per completed request, microseconds (PostgreSQL excluded). */
  cpuMicrosPerRequest: number;
  /** Server CPU / wall time: 1.0 = one core fully busy. */
  serverCpuCores: number;
  /** CPU of this process (autocannon) / wall time. */
  loadGeneratorCpuCores: number;
  /** Busy CPU of the whole machine / wall time (server + PostgreSQL + load generator + anything else). */
  machineBusyCores: number;
}

export async function measure(
  name: string,
  url: string,
  pid: number,
  headers: Record<string, string>,
  s: LoadSettings,
  request: { method: 'GET' | 'POST'; body?: string; makeBody?: () => string } = { method: 'GET' },
): Promise<Measurement> {
  const { makeBody } = request;
  const base = {
    url,
    connections: s.connections,
    headers,
    method: request.method,
    ...(request.body ? { body: request.body } : {}),
    // A fresh body per request (e.g. a unique email address), built by autocannon's setupRequest hook.
    ...(makeBody ? { requests: [{ method: request.method, setupRequest: (r: autocannon.RequestParams) => ({ ...r, body: makeBody() }) }] } : {}),
  };
  await autocannon({ ...base, duration: s.warmupSeconds });
  const cpuBefore = cpuSeconds(pid);
  const machineBefore = machineBusySeconds();
  const ownBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const r = await autocannon({ ...base, duration: s.durationSeconds });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const serverCpuSeconds = cpuSeconds(pid) - cpuBefore;
  const machineSeconds = machineBusySeconds() - machineBefore;
  const own = process.cpuUsage(ownBefore);
  const total = r.requests.total;
  return {
    name,
    url,
    requestsPerSecond: r.requests.average,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    latencyAvgMs: r.latency.average,
    totalRequests: total,
    bytesPerResponse: total > 0 && r.throughput.total !== undefined ? r.throughput.total / total : Number.NaN,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, v]) => [code, v.count])),
    serverCpuSeconds,
    cpuMicrosPerRequest: total > 0 ? (serverCpuSeconds * 1e6) / total : Number.NaN,
    serverCpuCores: serverCpuSeconds / wallSeconds,
    loadGeneratorCpuCores: (own.user + own.system) / 1e6 / wallSeconds,
    machineBusyCores: machineSeconds / wallSeconds,
  };
}

/** Every response 2xx, no socket errors or timeouts. */
export function allOk(m: Measurement): boolean {
  return m.totalRequests > 0 && m.non2xx === 0 && m.errors === 0 && m.timeouts === 0;
}
