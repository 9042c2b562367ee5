/**
 * Output: one comparison table per measured path (service, baseline, ratio)
 * on stdout, and the same numbers as JSON in bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import type { LoadSettings, Measurement } from './load.ts';

export interface PathGoal {
  /** Minimum service/baseline req/s ratio. */
  ratio: number;
  /** Maximum service/baseline CPU per request ratio, when the path has one. */
  cpuRatio?: number;
}

export interface PathResult {
  path: string;
  /** What the service does and what the baseline does on this path. */
  service: Measurement;
  baseline: Measurement;
  baselineDoes: string;
  ratios: { requestsPerSecond: number; cpuPerRequest: number };
  goal: PathGoal & { met: boolean };
}

export interface Report {
  date: string;
  settings: LoadSettings & { contacts: number; poolMax: number };
  environment: { node: string; cpus: number; postgres: string; clockTicks: number; loadAverage: number[] };
  paths: PathResult[];
}

export function ratios(service: Measurement, baseline: Measurement): PathResult['ratios'] {
  return {
    requestsPerSecond: service.requestsPerSecond / baseline.requestsPerSecond,
    cpuPerRequest: service.cpuMicrosPerRequest / baseline.cpuMicrosPerRequest,
  };
}

export function goalMet(r: PathResult['ratios'], goal: PathGoal): boolean {
  return r.requestsPerSecond >= goal.ratio && (goal.cpuRatio === undefined || r.cpuPerRequest <= goal.cpuRatio);
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

function goalText(p: PathResult): string {
  const parts = [`req/s >= ${p.goal.ratio}x baseline`, ...(p.goal.cpuRatio !== undefined ? [`CPU/request <= ${p.goal.cpuRatio}x baseline`] : [])];
  return `goal ${parts.join(', ')}: ${p.goal.met ? 'MET' : 'NOT MET'} (${p.ratios.requestsPerSecond.toFixed(2)}x req/s, ${p.ratios.cpuPerRequest.toFixed(2)}x CPU/request)`;
}

export function printReport(r: Report): void {
  const { settings: s, environment: e } = r;
  const lines = [
    '',
    `${s.connections} connections, ${s.durationSeconds} s measured per server and path after a ${s.warmupSeconds} s warm-up (discarded); service and baseline measured back to back per path`,
    `${s.contacts} contacts seeded; pg pool ${s.poolMax} per server; PostgreSQL ${e.postgres}; node ${e.node}; ${e.cpus} CPUs; load average at start ${e.loadAverage.map((x) => x.toFixed(2)).join(' ')}`,
  ];
  for (const p of r.paths) {
    const ratioRow = ['service / baseline', `${p.ratios.requestsPerSecond.toFixed(2)}x`, '', '', `${p.ratios.cpuPerRequest.toFixed(2)}x`, '', '', '', '', '', ''];
    lines.push('', `${p.path}   (baseline: ${p.baselineDoes})`, formatTable([[...COLUMNS], row('service', p.service), row('baseline', p.baseline), ratioRow]), goalText(p));
  }
  lines.push(
    '',
    'CPU µs/req and server cores: the server process only (utime+stime of /proc/<pid>/stat, all threads, over the measured run);',
    'PostgreSQL backends and the load generator are NOT counted in them. For context only: loadgen cores = autocannon (this process),',
    'machine busy = all cores of the machine (/proc/stat), which includes PostgreSQL and any other process running meanwhile.',
    '',
  );
  process.stdout.write(lines.join('\n'));
}

export function writeReport(r: Report, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
