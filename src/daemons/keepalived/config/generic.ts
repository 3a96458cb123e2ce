import { addExtra, type Draft, type ExtraDraft } from './draft';
import type { Keyword, KeywordTable, Parse } from './engine';
import { KEYWORDS } from './inventory';

/**
 * A block's keyword table: the handlers given, and for every other keyword keepalived 2.2.7 knows in that
 * block a handler that keeps its words (and its `{ … }` lines, if it opens a value block) in `extra`, so
 * nothing keepalived accepts is reported as unknown or lost.
 */
export function genericTable(
  block: string,
  handled: Record<string, Keyword<Draft>>,
  extraOf: (p: Parse<Draft>) => ExtraDraft = (p) => p.state.extra,
  prefix = '',
): KeywordTable<Draft> {
  const t = new Map<string, Keyword<Draft>>();
  for (const name of KEYWORDS[block] ?? []) {
    const valueBlock = VALUE_BLOCKS.has(`${block} ${name}`);
    t.set(name, handled[name] ?? { handler: (p, words) => keep(p, words, extraOf(p), prefix, valueBlock) });
  }
  // the inventory says which keywords keepalived installs in this block (MISC_CHECK has no connect_port)
  const known = KEYWORDS[block];
  for (const [name, kw] of Object.entries(handled)) if (!known || known.includes(name)) t.set(name, kw);
  return t;
}

/** Unmodelled keywords whose handler in keepalived reads a `{ … }` value block. */
const VALUE_BLOCKS = new Set([
  'top linkbeat_interfaces',
  'top interface_up_down_delays',
  'track_group group',
  'garp_group interfaces',
  'vrrp_sync_group track_file',
  'vrrp_sync_group track_process',
  'vrrp_sync_group track_bfd',
  'vrrp_instance track_process',
  'vrrp_instance track_bfd',
]);

/** Keeps a keyword's words (and the lines of its value block, if it has one) under `prefix + keyword`. */
export function keep(p: Parse<Draft>, words: readonly string[], extra: ExtraDraft, prefix = '', valueBlock = false): void {
  const key = [prefix + words[0]!, ...words.slice(1)];
  if (valueBlock) addExtra(extra, [...key, ...p.valueBlock(words).flat()]);
  else addExtra(extra, key);
}
