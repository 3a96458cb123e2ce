/**
 * A configuration error as nginx reports it: `[emerg] <message> in <file>:<line>`. Messages that nginx prints
 * without a place (post-parse checks such as `no "events" section in configuration`) have no file.
 * Messages are byte strings: a non-ASCII byte that nginx prints raw (`unexpected "\xE2"`) is one char U+00xx,
 * so `Buffer.from(text, 'latin1')` gives the bytes nginx writes.
 */
export class NginxConfError extends Error {
  constructor(
    readonly detail: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(file === undefined ? detail : `${detail} in ${file}:${line}`);
  }
}

/** `nginx: [emerg] …`: the line nginx writes to stderr for a fatal configuration error. */
export function formatEmerg(err: NginxConfError): string {
  return `nginx: [emerg] ${err.message}`;
}
