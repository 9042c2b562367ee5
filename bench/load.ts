/**
 * One measurement: a discarded warm-up run, then the measured autocannon run
 * with the server process's CPU time read from /proc just before and after.
 */
import autocannon from 'autocannon';
import { cpuSeconds } from './child.ts';

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
}

export async function measure(name: string, url: string, pid: number, headers: Record<string, string>, s: LoadSettings): Promise<Measurement> {
  const base = { url, connections: s.connections, headers };
  await autocannon({ ...base, duration: s.warmupSeconds });
  const cpuBefore = cpuSeconds(pid);
  const started = process.hrtime.bigint();
  const r = await autocannon({ ...base, duration: s.durationSeconds });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const serverCpuSeconds = cpuSeconds(pid) - cpuBefore;
  const total = r.requests.total;
  return {
    name,
    url,
    requestsPerSecond: r.requests.average,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    latencyAvgMs: r.latency.average,
    totalRequests: total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, v]) => [code, v.count])),
    serverCpuSeconds,
    cpuMicrosPerRequest: total > 0 ? (serverCpuSeconds * 1e6) / total : Number.NaN,
    serverCpuCores: serverCpuSeconds / wallSeconds,
  };
}

/** Every response 2xx, no socket errors or timeouts. */
export function allOk(m: Measurement): boolean {
  return m.totalRequests > 0 && m.non2xx === 0 && m.errors === 0 && m.timeouts === 0;
}
