/**
 * Summarises a V8 .cpuprofile (from BENCH_CPU_PROF=<dir> npm run bench):
 * self time by package/file and by function, and total (inclusive) time by
 * function. Usage: tsx bench/profile-top.ts <file.cpuprofile> [rows] [lastSeconds]
 * lastSeconds keeps only the samples of the profile's final seconds: the
 * service child is stopped right after its measured run, so
 * lastSeconds = BENCH_DURATION excludes startup, seeding and warm-up.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsArg, lastArg] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/profile-top.ts <file.cpuprofile> [rows] [lastSeconds]');
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

// Time per node (ms) from the samples inside the window (all of them by default).
// As in Chrome DevTools, sample i is weighted by the gap to the next sample.
const from = lastArg ? profile.endTime - Number(lastArg) * 1e6 : -Infinity;
const selfMs = new Map<number, number>();
let t = profile.startTime;
profile.samples.forEach((nodeId, i) => {
  t += profile.timeDeltas[i] ?? 0;
  if (t < from) return;
  const weight = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  selfMs.set(nodeId, (selfMs.get(nodeId) ?? 0) + weight);
});

/** node_modules/<pkg> (scoped too), a repo-relative path, or a V8 category like (garbage collector). */
function owner(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native/builtin)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  if (url.startsWith('node:')) return url;
  const src = url.indexOf('/work/main/');
  return src >= 0 ? url.slice(src + '/work/main/'.length) : url;
}

const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${owner(n.callFrame.url, n.callFrame.functionName)}:${n.callFrame.lineNumber + 1}`;

const selfByOwner = new Map<string, number>();
/** Self time charged to the nearest npm package or repository file on the stack (node internals, natives and GC go to their caller). */
const selfByCaller = new Map<string, number>();
const selfByFn = new Map<string, number>();
const totalByFn = new Map<string, number>();
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

// Inclusive time: walk the tree, counting each function once per stack (recursion-safe).
const isCodeOwner = (o: string) => !o.startsWith('(') && !o.startsWith('node:');
function walk(id: number, onStack: Map<string, number>, caller: string): number {
  const n = byId.get(id)!;
  const key = label(n);
  const self = selfMs.get(n.id) ?? 0;
  const own = owner(n.callFrame.url, n.callFrame.functionName);
  const charged = isCodeOwner(own) ? own : own === '(idle)' || own === '(program)' || own === '(garbage collector)' ? own : caller;
  add(selfByFn, key, self);
  add(selfByOwner, own, self);
  add(selfByCaller, charged, self);
  onStack.set(key, (onStack.get(key) ?? 0) + 1);
  let total = self;
  for (const c of n.children ?? []) total += walk(c, onStack, isCodeOwner(own) ? own : caller);
  onStack.set(key, onStack.get(key)! - 1);
  if (onStack.get(key) === 0) add(totalByFn, key, total);
  return total;
}
const root = profile.nodes[0]!;
const all = walk(root.id, new Map(), '(node/native, no package caller)');
const idle = [...selfByFn].filter(([k]) => k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
const busy = all - idle;

function top(title: string, m: Map<string, number>, skip: (k: string) => boolean = () => false): void {
  console.log(`\n${title} (ms, % of ${busy.toFixed(0)} ms busy)`);
  for (const [k, v] of [...m].filter(([k]) => !skip(k)).sort((x, y) => y[1] - x[1]).slice(0, rows)) {
    console.log(`${v.toFixed(0).padStart(8)}  ${((100 * v) / busy).toFixed(1).padStart(5)}%  ${k}`);
  }
}
console.log(`${file}: ${(all / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s not idle (wall time: includes time the thread was runnable but descheduled)`);
top('self time by package / file', selfByOwner, (k) => k === '(idle)');
top('self time charged to the nearest package or file (node internals and natives charged to their caller)', selfByCaller, (k) => k === '(idle)');
top('self time by function', selfByFn, (k) => k.startsWith('(idle)'));
top('total time by function', totalByFn, (k) => k.startsWith('(root)') || k.startsWith('(idle)') || k.startsWith('(program)'));
