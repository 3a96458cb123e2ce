import type { Checker, HttpUrl } from '../config';
import type { CheckerSlot } from './checkers';
import type { CheckerMigration } from './ipwrapper';

/** compare_conn_opts: where and how the checker connects. */
function sameConnOpts(a: CheckerSlot, b: CheckerSlot): boolean {
  const x = a.conf;
  const y = b.conf;
  return (
    a.dstIp === b.dstIp &&
    a.dstPort === b.dstPort &&
    x.bindto === y.bindto &&
    x.bindPort === y.bindPort &&
    x.bindIf === y.bindIf &&
    x.connectTimeout === y.connectTimeout &&
    x.fwmark === y.fwmark
  );
}

function sameUrl(a: HttpUrl, b: HttpUrl): boolean {
  return (
    a.path === b.path &&
    a.digest === b.digest &&
    a.virtualhost === b.virtualhost &&
    a.regex === b.regex &&
    a.regexNoMatch === b.regexNoMatch &&
    JSON.stringify(a.statusCode) === JSON.stringify(b.statusCode)
  );
}

/** The checker_funcs compare of each kind (check_http.c, check_tcp.c, check_misc.c): the same checker in both configurations. */
export function sameChecker(a: CheckerSlot, b: CheckerSlot): boolean {
  const x: Checker = a.conf;
  const y: Checker = b.conf;
  if (x.kind !== y.kind) return false;
  if (x.kind === 'MISC_CHECK' && y.kind === 'MISC_CHECK') {
    return x.miscDynamic === y.miscDynamic && x.miscPath.join(' ') === y.miscPath.join(' ') && x.user === y.user;
  }
  if (!sameConnOpts(a, b)) return false;
  if ((x.kind === 'HTTP_GET' || x.kind === 'SSL_GET') && (y.kind === 'HTTP_GET' || y.kind === 'SSL_GET')) {
    return x.virtualhost === y.virtualhost && x.urls.length === y.urls.length && x.urls.every((u, i) => sameUrl(u, y.urls[i]!));
  }
  return true;
}

/**
 * The new checkers before the migration: a reload skips validate_check_config's start-up settings (alpha
 * checkers down, retries used up: check_data.c, `if (!reload)`), so every checker starts up with no retry
 * counted, as queue_checker made it (check_api.c). A new real server's checker then needs all its retries
 * to fail, where one failure is enough at start-up.
 */
export function reloadedCores(slots: readonly CheckerSlot[]): void {
  for (const s of slots) {
    s.machine.state.isUp = true;
    s.machine.state.retryIt = 0;
  }
}

/** check_new_rs_state: the alpha checkers of a real server new in this configuration start down. */
export function checkNewRsState(slots: readonly CheckerSlot[], reloaded: (vi: number, ri: number) => boolean): void {
  for (const s of slots) if (s.conf.alpha && !reloaded(s.vi, s.ri)) s.machine.state.isUp = false;
}

/**
 * The checker half of a reload (ipwrapper.c migrate_checkers, check_misc.c migrate_misc_check) between
 * the old configuration's checkers and the new one's.
 */
export function checkerMigration(oldSlots: readonly CheckerSlot[], newSlots: readonly CheckerSlot[]): CheckerMigration {
  const of = (slots: readonly CheckerSlot[], vi: number, ri: number): CheckerSlot[] => slots.filter((s) => s.vi === vi && s.ri === ri);
  return {
    migrate(oldVi, oldRi, newVi, newRi) {
      const olds = of(oldSlots, oldVi, oldRi);
      const news = of(newSlots, newVi, newRi);
      for (const n of news) {
        const o = olds.find((c) => sameChecker(c, n));
        if (!o) continue;
        const from = o.machine.state;
        const to = n.machine.state;
        if (from.hasRun) to.isUp = from.isUp;
        to.hasRun = from.hasRun;
        // Enough retries already for the new retry count: one more failure takes it down.
        if (from.retryIt && n.conf.retry) to.retryIt = from.retryIt >= n.conf.retry ? n.conf.retry - 1 : from.retryIt;
        if (o.machine.kind === 'misc' && n.machine.kind === 'misc') {
          const m = n.machine;
          m.state.lastExitCode = o.machine.state.lastExitCode;
          m.state.lastRan = o.machine.state.lastRan;
          // As 2.2.7 computes it: a last exit status of 0 gives -weight, i.e. an effective weight of 0.
          if (m.params.dynamic && m.state.lastExitCode !== 1) {
            m.state.curWeight = m.state.lastExitCode - (m.state.lastExitCode ? 2 : 0) - m.params.weight;
          }
        }
      }
      return {
        failed: news.filter((n) => n.machine.state.hasRun && !n.machine.state.isUp).length,
        anyRun: news.some((n) => n.machine.state.hasRun),
      };
    },
    pessimise(vi, ri) {
      let down = 0;
      for (const n of of(newSlots, vi, ri)) {
        const s = n.machine.state;
        if (s.hasRun) continue;
        if (n.conf.alpha && s.isUp) {
          s.isUp = false;
          down++;
        }
        s.retryIt = n.conf.retry;
      }
      return down;
    },
    curWeight(vi, ri) {
      let sum = 0;
      for (const n of of(newSlots, vi, ri)) if (n.machine.kind === 'misc') sum += n.machine.state.curWeight;
      return sum;
    },
  };
}
