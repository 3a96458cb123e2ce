import { ConfigErr } from './diagnostic';
import type { Draft } from './draft';
import type { Parse } from './engine';

/**
 * keepalived's alloc_strvec_quoted_escaped: how script commands (vrrp_script `script`, notify_*,
 * misc_path …) are split: blanks separate words, '…' and "…" group them, backslash escapes.
 * Returns the quote left open when the line ends inside one.
 */
export function splitQuotedEscaped(text: string): { words: string[] } | { open: string } {
  const words: string[] = [];
  let i = 0;
  const n = text.length;
  const blank = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
  while (i < n) {
    while (i < n && blank(text[i]!)) i++;
    if (i >= n) break;
    let word = '';
    let quote = '';
    while (i < n) {
      const c = text[i]!;
      if (quote) {
        if (c === quote) {
          quote = '';
          i++;
        } else if (c === '\\' && i + 1 < n) {
          word += unescape(text[i + 1]!);
          i += 2;
        } else {
          word += c;
          i++;
        }
      } else if (blank(c)) {
        break;
      } else if (c === '"' || c === "'") {
        // a quote opening at the very end of the line closes nothing and is not an error
        if (i + 1 >= n) {
          i++;
          break;
        }
        quote = c;
        i++;
      } else if (c === '\\' && i + 1 < n) {
        word += unescape(text[i + 1]!);
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    if (quote) return { open: quote };
    words.push(word);
  }
  return { words };
}

function unescape(c: string): string {
  switch (c) {
    case 'a':
      return '\x07';
    case 'b':
      return '\b';
    case 'e':
      return '\x1b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'v':
      return '\v';
    default:
      return c;
  }
}

/**
 * The command of a script keyword's line, as keepalived will exec it; undefined (reported) when a quote
 * is left open. A command given as one quoted string is split again, as keepalived does.
 */
export function scriptArgs(p: Parse<Draft>, words: readonly string[]): string[] | undefined {
  const text = p.line?.text ?? words.join(' ');
  const r = splitQuotedEscaped(text);
  if ('open' in r) {
    p.report(ConfigErr.UnmatchedQuote, `String '${text}': missing terminating ${r.open}`);
    return undefined;
  }
  const args = r.words.slice(1);
  if (args.length === 0) p.word(words, 1);
  if (args.length === 1 && /[ \t]/.test(args[0]!)) {
    const again = splitQuotedEscaped(args[0]!);
    if ('words' in again) return again.words;
  }
  return args;
}

/**
 * keepalived's get_default_script_user: scripts without `user` run as `keepalived_script` when script
 * security is on; if that user does not exist it says so once, and every such script is removed.
 */
export function defaultScriptUser(p: Parse<Draft>): boolean {
  const d = p.state;
  if (d.defaultUser === 'fail') return false;
  if (d.defaultUser === 'unset') {
    d.defaultUser = 'ok';
    if (d.global.enableScriptSecurity && !d.userExists('keepalived_script')) {
      p.report(ConfigErr.GeneralError, 'Unable to set default user keepalived_script for script');
      d.defaultUser = 'fail';
      return false;
    }
  }
  return true;
}

/**
 * A notify script's command (notify_master …, notify_up …): without a user after the command it runs as
 * the default script user, and keepalived drops it (saying so once) when that user cannot be set.
 */
export function notifyArgs(p: Parse<Draft>, words: readonly string[]): string[] | undefined {
  const text = p.line?.text ?? words.join(' ');
  const r = splitQuotedEscaped(text);
  if ('open' in r) {
    p.report(ConfigErr.UnmatchedQuote, `String '${text}': missing terminating ${r.open}`);
    return undefined;
  }
  const [, command, user] = r.words;
  if (command === undefined) return [p.word(words, 1)];
  // words after the command are the user (and group) to run it as: an unknown user drops the script
  if (user !== undefined) return p.state.userExists(user) ? splitCommand(command) : undefined;
  return defaultScriptUser(p) ? splitCommand(command) : undefined;
}

function splitCommand(command: string): string[] {
  const again = splitQuotedEscaped(command);
  return 'words' in again ? again.words : [command];
}
