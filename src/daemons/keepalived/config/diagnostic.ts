/**
 * keepalived's configuration error categories (lib/parser.h `config_err_t`), in its order: `keepalived -t`
 * exits according to the numerically largest one reported.
 */
export const enum ConfigErr {
  Ok = 0,
  FileNotFound = 1,
  BadIf = 2,
  Fatal = 3,
  MultipleFiles = 4,
  UnknownKeyword = 5,
  UnexpectedBob = 6,
  MissingBob = 7,
  UnexpectedEob = 8,
  MissingEob = 9,
  UnmatchedQuote = 10,
  MissingParameter = 11,
  InvalidNumber = 12,
  GeneralError = 13,
  Warning = 14,
  Deprecated = 15,
  SecurityError = 16,
}

/** The keepalived process that reports a message: `-t` runs the parses in this order. */
export type Process = 'parent' | 'checker' | 'vrrp' | 'bfd';

export interface Diagnostic {
  /** The config file the message is about, as keepalived names it (as given, or as the include glob matched). */
  readonly file: string;
  /** 1-based line, or 0 for messages keepalived prints without a line (post-parse checks). */
  readonly line: number;
  readonly severity: 'error' | 'warning' | 'security';
  readonly category: ConfigErr;
  readonly process: Process;
  /** Exactly what `keepalived -t` prints on stderr, prefix included. */
  readonly text: string;
}

export type Verdict = 'ok' | 'warnings' | 'security' | 'aborted';

/** keepalived's `config_test_exit`: 0 clean, 4 cannot run (file/interface/fatal), 6 security, else 5. */
export function verdictOf(worst: ConfigErr): { verdict: Verdict; exitCode: number } {
  if (worst === ConfigErr.Ok) return { verdict: 'ok', exitCode: 0 };
  if (worst <= ConfigErr.Fatal) return { verdict: 'aborted', exitCode: 4 };
  if (worst === ConfigErr.SecurityError) return { verdict: 'security', exitCode: 6 };
  return { verdict: 'warnings', exitCode: 5 };
}

export function severityOf(err: ConfigErr): Diagnostic['severity'] {
  if (err === ConfigErr.SecurityError) return 'security';
  if (err <= ConfigErr.Fatal) return 'error';
  return err === ConfigErr.Warning || err === ConfigErr.Deprecated ? 'warning' : 'error';
}
