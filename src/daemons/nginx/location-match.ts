import type { LocationConf, ServerConf } from './conf-model';

export interface LocationMatch {
  /** undefined: no location matched, the server's own settings apply. */
  readonly location?: LocationConf;
  /** Captures of the matching regex location ($1..$9), empty for prefix/exact matches. */
  readonly captures: readonly string[];
}

type Rc = 'found' | 'again' | 'declined';

/**
 * nginx's location choice (ngx_http_core_find_location): an exact `=` match wins at once; else the longest
 * prefix, whose nested locations are searched next; unless that prefix is `^~`, the regex locations of the level
 * are then tried in config order and the first match wins; with no regex match the longest prefix stays.
 */
export function findLocation(server: ServerConf, uri: string): LocationMatch {
  let found = searches.get(server);
  if (found === undefined) searches.set(server, (found = new Map()));
  let match = found.get(uri);
  if (match === undefined) {
    if (found.size >= SEARCHES) found.clear();
    // the search state is the answer
    const st: SearchState = { location: undefined, captures: NO_CAPTURES };
    search(st, server.locations, uri);
    found.set(uri, (match = st));
  }
  return match;
}

/**
 * The answers for the URIs of a server searched lately: the choice depends on the configuration and the URI
 * alone, and a busy server is asked about the same few URIs (each regex location costs a match per search).
 */
const searches = new WeakMap<ServerConf, Map<string, LocationMatch>>();
/** URIs remembered per server at most (a client asking for ever new URIs does not make the memory grow). */
const SEARCHES = 1024;

interface SearchState {
  location: LocationConf | undefined;
  captures: readonly string[];
}

/** The captures of a prefix or exact match, and of a request before any regex matched. */
export const NO_CAPTURES: readonly string[] = [];

function search(st: SearchState, locations: readonly LocationConf[], uri: string): Rc {
  let rc: Rc = 'declined';
  let noregex = false;
  for (const l of locations) {
    if (l.modifier === '=' && l.name === uri) {
      st.location = l;
      st.captures = NO_CAPTURES;
      return 'found';
    }
  }
  let prefix: LocationConf | undefined;
  for (const l of locations) {
    if ((l.modifier === '' || l.modifier === '^~') && uri.startsWith(l.name)) {
      if (!prefix || l.name.length > prefix.name.length) prefix = l;
    }
  }
  if (prefix) {
    st.location = prefix;
    st.captures = NO_CAPTURES;
    noregex = prefix.modifier === '^~';
    rc = search(st, prefix.locations, uri) === 'found' ? 'found' : 'again';
    if (rc === 'found') return rc;
  }
  if (noregex) return rc;
  for (const l of locations) {
    const m = l.regex?.exec(uri);
    if (!m) continue;
    st.location = l;
    st.captures = m.slice(1).map((c) => c ?? '');
    search(st, l.locations, uri);
    return 'found';
  }
  return rc;
}
