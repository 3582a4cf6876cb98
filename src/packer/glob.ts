/**
 * Ignore globs (`--ignore`, and `ignore` in .pkrlintrc.json, which comes with the repository and is untrusted).
 * A glob is compiled to a small automaton and run over a path by simulating every state at once (Thompson's
 * construction): time is at most the pattern's length times the path's, whatever the pattern. A backtracking regular
 * expression (picomatch's) takes 10 s for `*a*a*a*a*a*a*a*a*b` against a 50-character name, and grows as the
 * path's length to the power of the number of stars.
 *
 * Syntax: `*` (any characters but `/`), `?` (one character but `/`), `**` as a whole path segment (any number of
 * segments: `a/**` matches `a` and everything below it, `**\/b` matches `b` in any directory), `[abc]`, `[a-z]`,
 * `[!a-z]` or `[^a-z]`, `{a,b}` alternatives (nested too, 64 at most), `\` to take the next character literally.
 * Dot files match like any other. Extended globs (`@(…)`, `!(…)`, `+(…)`, `*(…)`, `?(…)`) and a leading `!` are
 * refused rather than read differently from what their author meant; so is a glob longer than 256 characters, and
 * a configuration file with more than 1000 globs.
 */

export const MAX_GLOB_LENGTH = 256;
/** The most ignore globs a configuration file may list (each path found is matched against each). */
export const MAX_GLOBS = 1000;
const MAX_ALTERNATIVES = 64;

export class GlobError extends Error {}

type Pred = (c: string) => boolean;

/** One state of the automaton: what it consumes, where it goes, and where it may go without consuming. */
interface State {
  /** Consumes one character matching `on` to go to `to`. */
  on?: Pred;
  to?: number;
  /** Stays here on a character matching `loop`. */
  loop?: Pred;
  /** Empty moves. */
  eps: number[];
}

const notSlash: Pred = (c) => c !== '/';
const anyChar: Pred = () => true;

/** `{a,b}` alternatives, expanded; a brace without a top-level comma is literal. */
function expandBraces(p: string, out: string[]): void {
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') {
      if (depth++ === 0) {
        open = i;
        commas.length = 0;
      }
    } else if (c === '}' && depth > 0) {
      if (--depth === 0 && commas.length) {
        const bounds = [open, ...commas, i];
        for (let k = 0; k + 1 < bounds.length; k++) {
          expandBraces(p.slice(0, open) + p.slice(bounds[k] + 1, bounds[k + 1]) + p.slice(i + 1), out);
          if (out.length > MAX_ALTERNATIVES) throw new GlobError(`more than ${MAX_ALTERNATIVES} alternatives`);
        }
        return;
      }
    } else if (c === ',' && depth === 1) {
      commas.push(i);
    }
  }
  out.push(p);
}

/** A character class starting at `p[i]` (`[`): its predicate and where it ends, or undefined when unclosed. */
function parseClass(p: string, i: number): { pred: Pred; end: number } | undefined {
  let j = i + 1;
  const neg = p[j] === '!' || p[j] === '^';
  if (neg) j++;
  const ranges: Array<[string, string]> = [];
  let first = true;
  for (; j < p.length; j++) {
    let c = p[j];
    if (c === ']' && !first) {
      const pred: Pred = (x) => x !== '/' && ranges.some(([lo, hi]) => x >= lo && x <= hi) !== neg;
      return { pred, end: j + 1 };
    }
    first = false;
    if (c === '\\' && j + 1 < p.length) c = p[++j];
    if (p[j + 1] === '-' && p[j + 2] !== undefined && p[j + 2] !== ']') {
      let hi = p[j + 2];
      j += 2;
      if (hi === '\\' && j + 1 < p.length) hi = p[++j];
      ranges.push([c, hi]);
    } else ranges.push([c, c]);
  }
  return undefined;
}

function compileOne(p: string): State[] {
  const states: State[] = [];
  const add = (s: Omit<State, 'eps'> & { eps?: number[] }) => states.push({ eps: [], ...s });
  let i = 0;
  if (p.startsWith('./')) i = 2;
  const end = p.endsWith('/') && p.length > 1 ? p.length - 1 : p.length;
  while (i < end) {
    const c = p[i];
    const segStart = i === 0 || p[i - 1] === '/';
    if (c === '*' && p[i + 1] === '*' && segStart && (i + 2 === end || p[i + 2] === '/')) {
      const n = states.length;
      if (i + 2 === end) {
        if (n === 0) {
          add({ loop: anyChar, eps: [1] }); // `**`: everything
        } else {
          // `a/**`: `a` itself or anything below it. The `/` before was added as a literal: take it back.
          states.pop();
          const m = states.length;
          add({ on: (x) => x === '/', to: m + 1, eps: [m + 2] });
          add({ loop: anyChar, eps: [m + 2] });
        }
        i += 2;
      } else {
        // `**/`: zero or more whole segments.
        add({ eps: [n + 1, n + 2] });
        add({ loop: anyChar, on: (x) => x === '/', to: n + 2 });
        i += 3;
      }
      continue;
    }
    if (c === '*') {
      while (p[i + 1] === '*') i++;
      add({ loop: notSlash, eps: [states.length + 1] });
      i++;
      continue;
    }
    if (c === '?') {
      add({ on: notSlash, to: states.length + 1 });
      i++;
      continue;
    }
    if (c === '[') {
      const cls = parseClass(p, i);
      if (cls) {
        add({ on: cls.pred, to: states.length + 1 });
        i = cls.end;
        continue;
      }
    }
    let lit = c;
    if (c === '\\' && i + 1 < end) lit = p[++i];
    add({ on: (x) => x === lit, to: states.length + 1 });
    i++;
  }
  return states;
}

function run(states: State[], text: string): boolean {
  const n = states.length; // state n accepts
  let cur = new Uint8Array(n + 1);
  let next = new Uint8Array(n + 1);
  const stack: number[] = [];
  const close = (set: Uint8Array) => {
    for (let k = 0; k <= n; k++) if (set[k]) stack.push(k);
    while (stack.length) {
      const k = stack.pop()!;
      if (k === n) continue;
      for (const e of states[k].eps) {
        if (!set[e]) {
          set[e] = 1;
          stack.push(e);
        }
      }
    }
  };
  cur[0] = 1;
  close(cur);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    next.fill(0);
    let any = false;
    for (let k = 0; k < n; k++) {
      if (!cur[k]) continue;
      const s = states[k];
      if (s.loop && s.loop(ch)) {
        next[k] = 1;
        any = true;
      }
      if (s.on && s.to !== undefined && s.on(ch)) {
        next[s.to] = 1;
        any = true;
      }
    }
    if (!any) return false;
    close(next);
    [cur, next] = [next, cur];
  }
  return cur[n] === 1;
}

/** Why a glob cannot be used, or undefined. */
export function globProblem(glob: string): string | undefined {
  try {
    compileGlob(glob);
    return undefined;
  } catch (e) {
    if (e instanceof GlobError) return e.message;
    throw e;
  }
}

/** Compiles one glob into a matcher; throws GlobError for a glob it refuses. */
export function compileGlob(glob: string): (path: string) => boolean {
  if (glob.length > MAX_GLOB_LENGTH) throw new GlobError(`longer than ${MAX_GLOB_LENGTH} characters`);
  if (glob === '') throw new GlobError('empty');
  if (glob.startsWith('!')) throw new GlobError('a negated glob (leading "!") is not supported');
  if (/(^|[^\\])[@!+*?]\(/.test(glob)) throw new GlobError('extended globs such as @(a|b) or !(x) are not supported; use {a,b}');
  const alternatives: string[] = [];
  expandBraces(glob, alternatives);
  const automata = alternatives.map(compileOne);
  return (path) => automata.some((a) => run(a, path));
}

/** One matcher for several globs: a path matches when any glob does. */
export function compileGlobs(globs: string[]): (path: string) => boolean {
  const ms = globs.map(compileGlob);
  return (path) => ms.some((m) => m(path));
}

/**
 * Name patterns where `*` matches any text (a `/` too) and every other character itself, as CI context names are
 * chosen in .pkrlintrc.json (untrusted too): run by the same automaton, so in linear time whatever the patterns.
 */
export function compileWildcards(patterns: string[]): (text: string) => boolean {
  const automata = patterns.map((p) => {
    const states: State[] = [];
    for (let i = 0; i < p.length; i++) {
      const c = p[i];
      if (c !== '*') states.push({ on: (x) => x === c, to: states.length + 1, eps: [] });
      else if (p[i - 1] !== '*') states.push({ loop: anyChar, eps: [states.length + 1] });
    }
    return states;
  });
  return (text) => automata.some((a) => run(a, text));
}
