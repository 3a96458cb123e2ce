import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { sortDiagnostics, type ScenarioDiagnostic } from '../diagnostic';
import type { ScenarioSpec } from '../spec';
import { ParseContext, type Read } from './context';
import { parseExpectations } from './expect';
import type { Declared } from './references';
import { parseTimeline } from './timeline';
import { parseHosts, parseLans, type ReadRelative } from './topology';
import { readDuration, readInteger, readNonEmpty, readText, readTimestamp } from './values';

export type { ReadRelative };

export interface ParseResult {
  /** Present only when there is no diagnostic. */
  readonly spec?: ScenarioSpec;
  /** Every mistake found, sorted by position. */
  readonly diagnostics: readonly ScenarioDiagnostic[];
}

const TOP_LEVEL = ['name', 'description', 'seed', 'duration', 'start', 'lans', 'hosts', 'timeline', 'expect'];

/** The lab's date: 2022-11-25T00:00:00Z in µs since the Unix epoch. */
export const DEFAULT_START = Date.UTC(2022, 10, 25) * 1000;

/**
 * Scenario text → validated spec, or every mistake as `file:line:col: message`. `file` names the scenario
 * in diagnostics and gives the default name; `readRelative` reads the files the scenario names (paths
 * relative to it) and returns undefined for a missing one. Nothing else is read.
 */
export function parseScenario(text: string, file: string, readRelative: ReadRelative = () => undefined): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const ctx = new ParseContext(file, lines, doc);
  for (const e of [...doc.errors, ...doc.warnings]) ctx.error(ctx.posAt(e.pos[0]), yamlMessage(e, text));
  // Past a syntax error the tree is a guess; only duplicate keys leave it sound enough to check further.
  if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return { diagnostics: sortDiagnostics(ctx.diagnostics) };

  const spec = doc.contents ? readScenario(ctx, doc.contents, file, readRelative) : undefined;
  if (!doc.contents) ctx.error({ line: 1, col: 1 }, 'the scenario is empty; it needs at least a duration');
  const diagnostics = sortDiagnostics(ctx.diagnostics);
  return diagnostics.length === 0 && spec ? { spec, diagnostics } : { diagnostics };
}

function readScenario(
  ctx: ParseContext,
  root: NonNullable<ReturnType<typeof parseDocument>['contents']>,
  file: string,
  readRelative: ReadRelative,
): ScenarioSpec | undefined {
  const f = ctx.map(root, 'the scenario');
  if (!f) return undefined;
  f.allow(TOP_LEVEL);
  const name = f.optional('name', readScenarioName) ?? (f.has('name') ? undefined : defaultName(file));
  const description = f.optional('description', readText);
  const seed = f.optional('seed', readInteger(0)) ?? 1;
  const duration = f.required('duration', readDuration);
  if (duration === 0) ctx.error(f.valuePos('duration'), "'duration' must be longer than 0s");
  const start = f.optional('start', readTimestamp) ?? DEFAULT_START;

  // Dependency order, whatever the order in the file: LANs, hosts, then what refers to them.
  const declared: Declared = { lans: new Map(), hosts: new Map() };
  const lans = f.optional('lans', (c, n) => parseLans(c, n, declared)) ?? [];
  const hosts = f.optional('hosts', (c, n) => parseHosts(c, n, declared, readRelative)) ?? [];
  const timeline = f.optional('timeline', (c, n) => parseTimeline(c, n, declared, duration)) ?? [];
  const loadHosts = new Set(timeline.flatMap((a) => (a.kind === 'load' ? [a.host] : [])));
  const expect = f.optional('expect', (c, n) => parseExpectations(c, n, { declared, duration, loadHosts })) ?? [];

  if (name === undefined || duration === undefined || duration === 0) return undefined;
  return {
    file,
    name,
    ...(description !== undefined ? { description } : {}),
    seed,
    duration,
    start,
    lans,
    hosts,
    timeline,
    expect,
  };
}

/** The name becomes a directory under reports/, so it is one safe path component. */
const readScenarioName: Read<string> = (ctx, node) => {
  const name = readNonEmpty(ctx, node);
  if (name === undefined || /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return name;
  ctx.error(ctx.pos(node), `bad scenario name '${name}': use letters, digits, '.', '_' and '-'`);
  return undefined;
};

/** `scenarios/proxy-ha/nginx-dies.yaml` → `nginx-dies`. */
function defaultName(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** The yaml library's message, in the style of ours; a duplicate key is named. */
function yamlMessage(e: YAMLError, text: string): string {
  if (e.code === 'DUPLICATE_KEY') {
    const key = /^("[^"]*"|'[^']*'|[^:,{}[\]\s]+)/.exec(text.slice(e.pos[0]))?.[1];
    return key ? `duplicate key ${key.startsWith('"') || key.startsWith("'") ? key : `'${key}'`}` : 'duplicate key';
  }
  if (e.code === 'MULTIPLE_DOCS') return "a scenario is one YAML document; remove the '---' that starts another";
  const message = e.message.replace(/\.$/, '');
  return message.charAt(0).toLowerCase() + message.slice(1);
}
