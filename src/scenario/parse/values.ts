import { isScalar, isSeq } from 'yaml';
import { parseDuration, type Micros, MINUTE, HOUR, SECOND, MS } from '../../sim/time';
import type { CidrSpec, Ipv4Spec, RateSpec } from '../spec';
import { describe, scalarText, type Read } from './context';
import { formatIpv4, parseCidrExplained, parseIpv4Explained } from './ipv4';
import { closest } from './suggest';

/** Any scalar as text; a plain `1` reads as "1" (sysctl values, commands, names). */
export const readText: Read<string> = (ctx, node) => {
  if (isScalar(node) && node.value !== null && typeof node.value !== 'object') return scalarText(node);
  ctx.error(ctx.pos(node), `expected text, not ${describe(node)}`);
  return undefined;
};

/** Text that must not be empty. */
export const readNonEmpty: Read<string> = (ctx, node) => {
  const text = readText(ctx, node);
  if (text === '') ctx.error(ctx.pos(node), 'expected text, not an empty string');
  return text === '' ? undefined : text;
};

/** Reads text and converts it with `convert`, which returns a value or the reason it cannot. */
function textWith<T>(convert: (text: string) => NoInfer<T> | { readonly reason: string }): Read<T> {
  return (ctx, node) => {
    const text = readText(ctx, node);
    if (text === undefined) return undefined;
    const result = convert(text);
    if (typeof result === 'object' && result !== null && 'reason' in result) {
      ctx.error(ctx.pos(node), result.reason);
      return undefined;
    }
    return result as T;
  };
}

const DURATION_HINT = 'like 250ms, 3.613s or 2m';

export const readDuration: Read<Micros> = textWith((text) => {
  const us = parseDuration(text);
  if (us !== undefined) return us;
  if (/^\d+(\.\d+)?$/.test(text)) return { reason: `'${text}' needs a unit (${DURATION_HINT})` };
  return { reason: `'${text}' is not a duration (${DURATION_HINT}, whole microseconds)` };
});

/** A duration that may be negative, `-1.5s` (clock offsets). */
export const readSignedDuration: Read<Micros> = (ctx, node) => {
  const text = readText(ctx, node);
  if (text === undefined) return undefined;
  const sign = text.startsWith('-') ? -1 : 1;
  const us = parseDuration(text.replace(/^[-+]/, ''));
  if (us === undefined) {
    ctx.error(ctx.pos(node), `'${text}' is not a duration (${DURATION_HINT}, optionally signed)`);
    return undefined;
  }
  return sign * us;
};

/** An integer written as a YAML number, at least `min`. */
export function readInteger(min: number): Read<number> {
  return (ctx, node) => {
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isSafeInteger(node.value)) {
      ctx.error(ctx.pos(node), `expected a whole number, not ${describe(node)}`);
      return undefined;
    }
    if (node.value < min) {
      ctx.error(ctx.pos(node), `expected a number of at least ${min}, not ${node.value}`);
      return undefined;
    }
    return node.value;
  };
}

/** A probability written as a number in [0, 1]. */
export const readProbability: Read<number> = (ctx, node) => {
  if (!isScalar(node) || typeof node.value !== 'number' || !(node.value >= 0 && node.value <= 1)) {
    ctx.error(ctx.pos(node), `expected a probability between 0 and 1, not ${describe(node)}`);
    return undefined;
  }
  return node.value;
};

export const readBoolean: Read<boolean> = (ctx, node) => {
  if (!isScalar(node) || typeof node.value !== 'boolean') {
    ctx.error(ctx.pos(node), `expected true or false, not ${describe(node)}`);
    return undefined;
  }
  return node.value;
};

/** One of a fixed set of words. */
export function readOneOf<T extends string>(choices: readonly T[], what: string): Read<T> {
  return textWith((text) => {
    if ((choices as readonly string[]).includes(text)) return text as T;
    const guess = closest(text, choices);
    return {
      reason: guess
        ? `unknown ${what} '${text}'; did you mean '${guess}'?`
        : `unknown ${what} '${text}'; expected one of: ${choices.join(', ')}`,
    };
  });
}

export const readIpv4: Read<Ipv4Spec> = (ctx, node) => {
  const text = readText(ctx, node);
  if (text === undefined) return undefined;
  const pos = ctx.pos(node);
  if (text.includes('/')) {
    ctx.error(pos, `expected an IPv4 address without prefix, not '${text}'`);
    return undefined;
  }
  const ip = parseIpv4Explained(text);
  if ('reason' in ip) {
    ctx.error(pos, `bad IPv4 address '${text}': ${ip.reason}`);
    return undefined;
  }
  return { text, value: ip.value, pos };
};

export const readCidr: Read<CidrSpec> = (ctx, node) => {
  const text = readText(ctx, node);
  if (text === undefined) return undefined;
  const pos = ctx.pos(node);
  const cidr = parseCidrExplained(text);
  if ('reason' in cidr) {
    ctx.error(pos, `bad IPv4 address/prefix '${text}': ${cidr.reason}`);
    return undefined;
  }
  return { text, ip: formatIpv4(cidr.value), value: cidr.value, prefix: cidr.prefix, pos };
};

/** A unicast Ethernet address, `52:54:00:00:00:01`, returned in lower case. */
export const readMac: Read<string> = textWith((text) => {
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(text)) return { reason: `bad MAC address '${text}' (like 52:54:00:00:00:01)` };
  if (parseInt(text.slice(0, 2), 16) & 1) return { reason: `MAC address '${text}' is multicast; a NIC needs a unicast one` };
  return text.toLowerCase();
});

const RATE_UNITS: Record<string, Micros> = { ms: MS, s: SECOND, m: MINUTE, min: MINUTE, h: HOUR };

/** `10/s`, `5/m`: a count per unit of time. */
export const readRate: Read<RateSpec> = textWith((text) => {
  const m = /^(\d+)\s*\/\s*(ms|s|min|m|h)$/.exec(text);
  if (!m || Number(m[1]) === 0) return { reason: `'${text}' is not a rate (like 10/s or 5/m)` };
  return { text, count: Number(m[1]), per: RATE_UNITS[m[2]!]! };
});

/** `20ppm`, `-3.5ppm`: a clock's rate error in parts per million. */
export const readPpm: Read<number> = textWith((text) => {
  const m = /^([-+]?\d+(?:\.\d+)?)\s*ppm$/.exec(text);
  return m ? Number(m[1]) : { reason: `'${text}' is not a drift (like 20ppm or -3.5ppm)` };
});

/** Permission bits in octal, `"0755"`, `0644` or `0o600`. */
export const readMode: Read<number> = textWith((text) => {
  const m = /^(?:0o?)?([0-7]{1,4})$/.exec(text);
  return m ? parseInt(m[1]!, 8) : { reason: `'${text}' is not a file mode (octal, like "0755")` };
});

/** An RFC 3339 UTC or offset timestamp, `2022-11-25T00:47:00Z`, as µs since the Unix epoch. */
export const readTimestamp: Read<number> = textWith((text) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  const bad = { reason: `'${text}' is not a timestamp (like 2022-11-25T00:47:00Z)` };
  if (!m) return bad;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls 2022-02-30 over to March: a date that does not come back unchanged does not exist.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return bad;
  const offsetMin = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const fraction = Number((m[7] ?? '').padEnd(6, '0'));
  return (ms - offsetMin * 60_000) * 1000 + fraction;
});

/** A JavaScript regular expression's source, checked to compile. */
export const readRegex: Read<string> = textWith((text) => {
  try {
    new RegExp(text);
    return text;
  } catch (e) {
    return { reason: `bad regular expression: ${(e as Error).message}` };
  }
});

/** A name that other parts of the file refer to (LAN, host): letters, digits, `_` and `-`. */
export function readName(what: string): Read<string> {
  return textWith((text) =>
    /^[A-Za-z][A-Za-z0-9_-]*$/.test(text)
      ? text
      : { reason: `bad ${what} name '${text}': use letters, digits, '_' and '-', starting with a letter` },
  );
}

/** A list of T, or a single T standing for a list of one. */
export function readOneOrMany<T>(read: Read<T>): Read<T[]> {
  return (ctx, node) => {
    if (!isSeq(node)) {
      const one = read(ctx, node);
      return one === undefined ? undefined : [one];
    }
    const items = ctx.list(node, 'this list') ?? [];
    const out = items.map((item) => read(ctx, item));
    return out.every((x) => x !== undefined) ? (out as T[]) : undefined;
  };
}
