/**
 * A directive argument with variables (`X-upS WEB1-$server_addr:$server_port`, `${host}x`), compiled once like
 * nginx's complex values, evaluated per request. `$1`..`$9` are regex captures of the last rewrite/location match.
 */
export type ValuePart = string | { readonly variable: string };
export type Value = readonly ValuePart[];

const NAME = /[A-Za-z0-9_]/;

export function compileValue(text: string): Value {
  const parts: ValuePart[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '$' || i + 1 >= text.length) {
      literal += ch;
      continue;
    }
    let name = '';
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) {
        literal += ch;
        continue;
      }
      name = text.slice(i + 2, close);
      i = close;
    } else if (/[1-9]/.test(text[i + 1]!)) {
      name = text[i + 1]!;
      i += 1;
    } else {
      let j = i + 1;
      while (j < text.length && NAME.test(text[j]!)) j++;
      if (j === i + 1) {
        literal += ch;
        continue;
      }
      name = text.slice(i + 1, j);
      i = j - 1;
    }
    if (literal) parts.push(literal);
    literal = '';
    parts.push({ variable: name });
  }
  if (literal) parts.push(literal);
  return parts;
}

/** Evaluates a value; `lookup` returns undefined for an unset variable, which nginx renders as empty. */
export function evaluate(value: Value, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (const part of value) out += typeof part === 'string' ? part : (lookup(part.variable) ?? '');
  return out;
}
