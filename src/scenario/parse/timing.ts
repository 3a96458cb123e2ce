import { formatDuration, type Micros } from '../../sim/time';
import type { Window } from '../spec';
import type { Fields, Read } from './context';
import { readDuration } from './values';

/** A duration read as an instant of the run, which must not be after its end (when the end is known). */
export function readInstant(duration: Micros | undefined): Read<Micros> {
  return (ctx, node) => {
    const t = readDuration(ctx, node);
    if (t === undefined || duration === undefined || t <= duration) return t;
    ctx.error(ctx.pos(node), `${formatDuration(t)} is after the end of the run (duration ${formatDuration(duration)})`);
    return undefined;
  };
}

/**
 * `at: T`, or `within: W` and/or `after: A` (some instant in (A, A+W]; A defaults to 0, W to the rest of the
 * run). With neither: the whole run when `optional`, else an error.
 */
export function readWindow(f: Fields, duration: Micros | undefined, optional: boolean): Window | undefined {
  const hasAt = f.has('at');
  const hasWithin = f.has('within') || f.has('after');
  if (hasAt && hasWithin) {
    f.error(f.entry('at')!.keyPos, "use either 'at' or 'within'/'after', not both");
    return undefined;
  }
  if (hasAt) {
    const at = f.optional('at', readInstant(duration));
    return at === undefined ? undefined : { kind: 'at', at };
  }
  if (!hasWithin) {
    if (optional) return { kind: 'anytime' };
    f.error(f.pos, `${f.what} needs 'at' or 'within'/'after'`);
    return undefined;
  }
  const after = f.optional('after', readInstant(duration));
  const within = f.optional('within', readDuration);
  if ((f.has('after') && after === undefined) || (f.has('within') && within === undefined)) return undefined;
  if (within === undefined) return duration === undefined ? undefined : { kind: 'within', after: after!, until: duration };
  if (within === 0) {
    f.error(f.valuePos('within'), "'within' must be longer than 0s (the window is (after, after + within])");
    return undefined;
  }
  const until = (after ?? 0) + within;
  if (duration !== undefined && until > duration) {
    f.error(
      f.valuePos('within'),
      `the window ends at ${formatDuration(until)}, after the end of the run (duration ${formatDuration(duration)})`,
    );
    return undefined;
  }
  return { kind: 'within', after: after ?? 0, until };
}
