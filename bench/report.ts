/**
 * Output: the comparison table on stdout and the same numbers as JSON in
 * bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import type { LoadSettings, Measurement } from './load.ts';

export const GOAL_RATIO = 0.8;

export interface Report {
  date: string;
  endpoint: string;
  settings: LoadSettings & { contacts: number; poolMax: number };
  environment: { node: string; cpus: number; postgres: string; clockTicks: number };
  service: Measurement;
  baseline: Measurement;
  ratios: { requestsPerSecond: number; cpuPerRequest: number };
  goal: { description: string; met: boolean };
}

export function ratios(service: Measurement, baseline: Measurement): Report['ratios'] {
  return {
    requestsPerSecond: service.requestsPerSecond / baseline.requestsPerSecond,
    cpuPerRequest: service.cpuMicrosPerRequest / baseline.cpuMicrosPerRequest,
  };
}

const COLUMNS = ['', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'server cores', 'requests', 'non-2xx', 'errors', 'loadgen cores', 'machine busy'] as const;

function row(label: string, m: Measurement): string[] {
  return [
    label,
    m.requestsPerSecond.toFixed(1),
    m.latencyP50Ms.toFixed(1),
    m.latencyP99Ms.toFixed(1),
    m.cpuMicrosPerRequest.toFixed(0),
    m.serverCpuCores.toFixed(2),
    String(m.totalRequests),
    String(m.non2xx),
    String(m.errors + m.timeouts),
    m.loadGeneratorCpuCores.toFixed(2),
    `${m.machineBusyCores.toFixed(2)}/${cpus().length}`,
  ];
}

function formatTable(rows: string[][]): string {
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

export function printReport(r: Report): void {
  const { settings: s, environment: e } = r;
  const ratioRow = ['service / baseline', `${r.ratios.requestsPerSecond.toFixed(2)}x`, '', '', `${r.ratios.cpuPerRequest.toFixed(2)}x`, '', '', '', '', '', ''];
  const lines = [
    '',
    `GET ${r.endpoint}: ${s.connections} connections, ${s.durationSeconds} s measured after a ${s.warmupSeconds} s warm-up (discarded)`,
    `${s.contacts} contacts seeded; pg pool ${s.poolMax} per server; PostgreSQL ${e.postgres}; node ${e.node}; ${e.cpus} CPUs`,
    '',
    formatTable([[...COLUMNS], row('service (A)', r.service), row('baseline (B)', r.baseline), ratioRow]),
    '',
    `${r.goal.description}: ${r.goal.met ? 'MET' : 'NOT MET'} (${r.ratios.requestsPerSecond.toFixed(2)} x)`,
    '',
    'CPU µs/req and server cores: the server process only (utime+stime of /proc/<pid>/stat, all threads, over the measured run);',
    'PostgreSQL backends and the load generator are NOT counted in them. For context only: loadgen cores = autocannon (this process),',
    'machine busy = all cores of the machine (/proc/stat), which includes PostgreSQL and any other process running meanwhile.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

export function writeReport(r: Report, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
