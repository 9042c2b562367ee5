/**
 * CPU accounting from /proc (Linux): one process's user+system time, the
 * whole machine's busy time, both in seconds.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks: number | undefined;

/** Clock ticks per second (`getconf CLK_TCK`, 100 on virtually every Linux). */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU time of a process (all its threads), in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which is in parentheses and may hold spaces):
  // state(3) ppid(4) ... utime(14) stime(15), i.e. indexes 11 and 12 here.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`cannot parse /proc/${pid}/stat`);
  return (utime + stime) / clockTicksPerSecond();
}

/**
 * Busy CPU time of the whole machine, all cores (first line of /proc/stat,
 * minus idle and iowait), in seconds. Includes everything: PostgreSQL, the
 * load generator, and any unrelated process.
 */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  // cpu  user nice system idle iowait irq softirq steal ... (guest time is already counted in user/nice)
  const [user = NaN, nice = NaN, system = NaN, , , irq = NaN, softirq = NaN, steal = 0] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  if (!Number.isFinite(busy)) throw new Error('cannot parse /proc/stat');
  return busy / clockTicksPerSecond();
}
