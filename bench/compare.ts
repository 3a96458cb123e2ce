/**
 * `npm run bench:compare -- <other checkout> [pairs]`: the HTTP figure of this tree against another one (a
 * worktree of an earlier commit, with its node_modules), in one process. Runs alternate between the two
 * trees, so that each pair meets the same host speed: on a shared machine whose speed moves by a third
 * within a minute, figures taken minutes apart, or in two processes, cannot tell a change of 5 % from noise.
 * Prints both sets of figures and the median of the pairs' ratios. Both trees read the scenario's
 * configuration files from the working directory.
 */
import { resolve } from 'node:path';
import { benchNginxHttp } from './nginx-http';

type Bench = typeof benchNginxHttp;

const [other, pairsArg] = process.argv.slice(2);
if (other === undefined) {
  console.error('usage: bench/compare.ts <other checkout> [pairs]');
  process.exit(2);
}
const pairs = Number(pairsArg ?? 12);
const theirs = ((await import(resolve(other, 'bench/nginx-http.ts'))) as { benchNginxHttp: Bench }).benchNginxHttp;
const ours = benchNginxHttp;

const rate = (bench: Bench): number => bench(1500, 8).rate;
// warm-up of both, as `npm run bench` does
for (let i = 0; i < 3; i++) {
  rate(theirs);
  rate(ours);
}
const them: number[] = [];
const us: number[] = [];
const ratios: number[] = [];
for (let i = 0; i < pairs; i++) {
  // who goes first alternates: the second run of a pair meets the first one's garbage
  let a: number;
  let b: number;
  if (i % 2 === 0) {
    a = rate(theirs);
    b = rate(ours);
  } else {
    b = rate(ours);
    a = rate(theirs);
  }
  them.push(a);
  us.push(b);
  ratios.push(b / a);
}
const fmt = (xs: number[]): string =>
  [...xs]
    .sort((p, q) => q - p)
    .map((x) => Math.round(x).toLocaleString('en-US'))
    .join(' ');
const median = [...ratios].sort((p, q) => p - q)[ratios.length >> 1]!;
console.log(`${other}: ${fmt(them)} requests/s wall`);
console.log(`this tree: ${fmt(us)} requests/s wall`);
console.log(`median ratio this / other: ${median.toFixed(3)} over ${pairs} pairs`);
