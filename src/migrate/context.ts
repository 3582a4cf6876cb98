import { comment, isIdentifier, ref, type OutComment, type OutItem, type OutNote } from '../hcl/model.js';
import { FEATURES, atLeast, type Feature } from '../packer/version.js';
import { plainValue, type JsonDocument, type JsonNode } from '../syntax/json.js';
import type { ReportItem, ReportLevel } from './report.js';
import type { Place, Scope } from './translate.js';
import { type Version } from './version.js';

/** Characters outside [A-Za-z0-9_-] become `_`; a name that cannot start an identifier gets a `_` prefix. */
export function sanitizeName(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_-]/g, '_');
  if (!/^[A-Za-z_]/.test(s)) s = '_' + s;
  return s;
}

/** Allocates unique identifiers within one namespace. */
export class Names {
  private readonly used = new Set<string>();
  /** The next suffix to try for a wanted name: names only get taken, so the ones below it stay taken. */
  private readonly next = new Map<string, number>();
  take(wanted: string): string {
    let name = wanted;
    let n = this.next.get(wanted) ?? 2;
    while (this.used.has(name)) name = `${wanted}_${n++}`;
    this.next.set(wanted, n);
    this.used.add(name);
    return name;
  }
  has(name: string): boolean {
    return this.used.has(name);
  }
  reserve(name: string): void {
    this.used.add(name);
  }
  /**
   * Names for a list of original names, in order: a name that is already a valid identifier keeps it (its first
   * holder does), and only then are sanitised names allocated, so that a renamed `a b` never takes the `a_b` of a
   * later entry.
   */
  assign(originals: string[]): string[] {
    const own = new Set(originals.filter((o) => isIdentifier(o) && !this.used.has(o)));
    for (const o of own) this.used.add(o);
    return originals.map((o) => {
      if (own.delete(o)) return o;
      return this.take(sanitizeName(o));
    });
  }
}

export interface VariableInfo {
  jsonName: string;
  name: string;
  local: boolean;
}

/** Stands for a sensitive value while a message's JSON is built (a real value equal to it would only be hidden too). */
const SECRET_MARK = '\u0000<sensitive>';

/** The build name and type a scope writes as literals (builder fields, override bodies). */
export interface ScopeNames {
  buildName?: string;
  buildType?: string;
}

/**
 * The report items about one output item, raised while it is converted. The converter hands them to the item it
 * makes (`on`): the item carries them, and the printer writes the reviews as `# TODO(pkrlint): …` lines in front of
 * it and gives each item its output line. Nothing depends on the order of calls elsewhere.
 */
export class Notes {
  readonly items: ReportItem[] = [];
  constructor(private readonly m: Migration) {}

  /** Records a report item (in the template's report too) about the item these notes go to. */
  add(level: ReportLevel, message: string, at?: { start: number } | number): void {
    this.items.push(this.m.add(level, message, at));
  }

  /**
   * Hands the notes to `item` (which then carries them), leaving none here; returns the item. Notes the item already
   * carries (raised while it was converted, inside a rewrite that converts its argument again) come after these.
   */
  on<T extends Exclude<OutItem, { type: 'blank' }>>(item: T): T {
    if (this.items.length === 0) return item;
    const notes: OutNote[] = [];
    for (const r of this.items) {
      const note: OutNote = r.level === 'review' ? { comment: `TODO(pkrlint): ${r.message}` } : {};
      r.node = note;
      notes.push(note);
    }
    item.notes = item.notes ? [...notes, ...item.notes] : notes;
    this.items.length = 0;
    return item;
  }

  /** The notes as an item of their own (only their TODO lines), for a member that became no item; none if there are none. */
  alone(): OutItem[] {
    return this.items.length ? [this.on({ type: 'comment', lines: [] })] : [];
  }
}

/** A component's scope for the notes of one of its items: each argument's notes go to the item it becomes. */
export type ScopeFor = (notes: Notes) => Scope;

/** State shared by the parts of one template's migration. */
export class Migration {
  readonly report: ReportItem[] = [];
  readonly variables = new Map<string, VariableInfo>();
  /** env var name → HCL variable name, for `env` outside variable defaults. */
  readonly envVariables = new Map<string, string>();
  readonly variableNames = new Names();
  /** Name of the local that stands for `{{timestamp}}`, once used. */
  timestampLocal: string | undefined;

  /** The newest version-gated feature the output uses: the least Packer version that can read the output. */
  needed: { version: Version; feature: Feature } | undefined;

  constructor(readonly doc: JsonDocument, readonly target: Version) {}

  /** Where the values of sensitive variables are in the text, in document order (not overlapping). */
  private readonly secrets: { start: number; end: number }[] = [];

  /** Marks a value as sensitive: messages and TODO comments show `<sensitive>` instead (see json(), scope()). */
  secret(node: JsonNode): void {
    const last = this.secrets[this.secrets.length - 1];
    if (last && node.start < last.end) throw new Error('sensitive values must be marked in document order');
    this.secrets.push({ start: node.start, end: node.end });
  }

  /** Whether a value is (inside) the value of a sensitive variable. */
  isSecret(node: { start: number; end: number }): boolean {
    let lo = 0;
    let hi = this.secrets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.secrets[mid];
      if (node.start < r.start) hi = mid - 1;
      else if (node.start >= r.end) lo = mid + 1;
      else return node.end <= r.end;
    }
    return false;
  }

  /** A JSON value on one line, for messages about what was not carried over; sensitive values are `<sensitive>`. */
  json(node: JsonNode): string {
    if (this.secrets.length === 0) return JSON.stringify(plainValue(node));
    const plain = (n: JsonNode): unknown => {
      if (this.isSecret(n)) return SECRET_MARK;
      if (n.kind === 'array') return n.items.map(plain);
      if (n.kind !== 'object') return plainValue(n);
      const o: Record<string, unknown> = {};
      for (const x of n.members) o[x.key] = plain(x.value);
      return o;
    };
    return JSON.stringify(plain(node)).replaceAll(JSON.stringify(SECRET_MARK), '<sensitive>');
  }

  /** Whether the target Packer has a version-gated feature; when it does, the output now depends on it. */
  allows(feature: Feature): boolean {
    if (!atLeast(this.target, FEATURES[feature].since)) return false;
    if (!this.needed || !atLeast(this.needed.version, FEATURES[feature].since)) this.needed = { version: FEATURES[feature].since, feature };
    return true;
  }

  line(node: { start: number } | number | undefined): number | undefined {
    if (node === undefined) return undefined;
    return this.doc.lines.position(typeof node === 'number' ? node : node.start).line;
  }

  /** Records a report item now (not tied to a value being emitted). */
  add(level: ReportLevel, message: string, at?: { start: number } | number, node?: object): ReportItem {
    const item: ReportItem = { level, message, jsonLine: this.line(at), node };
    this.report.push(item);
    return item;
  }

  /** Review items about the earlier values of duplicate JSON keys, by the member that is kept. */
  readonly duplicates = new Map<object, ReportItem[]>();

  /**
   * The notes of the item a JSON member becomes: to begin with, the reviews of the member's duplicate keys (which
   * are then no longer left for the top of the file).
   */
  notesOf(member?: object): Notes {
    const notes = new Notes(this);
    const dups = member && this.duplicates.get(member);
    if (dups) {
      this.duplicates.delete(member);
      for (const d of dups) notes.items.push(d);
    }
    return notes;
  }

  /** A TODO comment for something that is not carried over, with its report line. */
  todo(message: string, at?: { start: number } | number): OutComment {
    const c = comment(`TODO(pkrlint): ${message}`);
    this.add('review', message, at, c);
    return c;
  }

  /** How JSON strings at `at` are translated; the notes the translation raises go to `notes`, with the line of `at`. */
  scope(place: Place, at: JsonNode, notes: Notes, extra: ScopeNames = {}): Scope {
    return {
      place,
      ...extra,
      sensitive: this.isSecret(at),
      target: this.target,
      allows: (feature) => this.allows(feature),
      userRef: (name) => {
        const v = this.variables.get(name);
        return v ? ref(v.local ? 'local' : 'var', v.name) : undefined;
      },
      envRef: (name) => ref('var', this.envVariable(name, at.start)),
      timestampRef: () => {
        this.timestampLocal ??= this.variableNames.take('timestamp');
        return ref('local', this.timestampLocal);
      },
      note: (level, message) => notes.add(level, message, at),
    };
  }

  /** Where each env variable was first used outside a variable default. */
  readonly envFirstUse = new Map<string, number>();

  envVariable(envName: string, at?: number): string {
    let name = this.envVariables.get(envName);
    if (!name) {
      if (at !== undefined) this.envFirstUse.set(envName, at);
      const base = sanitizeName(envName);
      name = this.variableNames.take(this.variableNames.has(base) ? `env_${base}` : base);
      this.envVariables.set(envName, name);
    }
    return name;
  }
}
