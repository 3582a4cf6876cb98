import { FEATURES } from '../packer/version.js';
import { attr, block, call, str, type OutBlock, type OutItem } from '../hcl/model.js';
import { plainValue, type JsonMember, type JsonNode } from '../syntax/json.js';
import type { Migration, Notes } from './context.js';
import { functionsOf, parseTemplate, TemplateSyntaxError, userNames, usesPluginData } from './gotemplate.js';
import { isCommentKey, jsonToExpr, lastOfEachKey } from './body.js';

/** HCL2 variable defaults may call env() and nothing else: anything more makes the variable a local. */
function needsLocal(value: JsonNode): boolean {
  if (value.kind !== 'string') return false;
  try {
    return parseTemplate(value.value).some((s) => s.kind === 'control' || (s.kind === 'action' && (usesPluginData(s.pipeline) || functionsOf(s.pipeline).some((f) => f !== 'env'))));
  } catch (e) {
    if (e instanceof TemplateSyntaxError) return false;
    throw e;
  }
}

/** Where a variable that `variables` does not declare is first read, and whether a variable default reads it. */
interface UndeclaredUse {
  at: number;
  inDefault: boolean;
}

/** The template's variables that `{{user \`x\`}}` reads without `variables` declaring them, keyed by variable name. */
const undeclared = new WeakMap<Migration, Map<string, UndeclaredUse>>();

/** The sections whose strings are translated (comments are not: `_comment`-style members are skipped). */
const READ_SECTIONS = new Set(['variables', 'builders', 'provisioners', 'post-processors', 'error-cleanup-provisioner']);

/** `{{user \`x\`}}` names read anywhere in the template's translated strings, with their first use (an explicit stack: JSON nests deep). */
function userReads(root: JsonNode | undefined): Map<string, UndeclaredUse> {
  const found = new Map<string, UndeclaredUse>();
  if (root?.kind !== 'object') return found;
  const stack: [JsonNode, boolean][] = root.members.filter((x) => READ_SECTIONS.has(x.key)).map((x) => [x.value, x.key === 'variables']);
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, inDefault] = top;
    if (node.kind === 'object') for (const x of node.members) if (!isCommentKey(x)) stack.push([x.value, inDefault]);
    if (node.kind === 'array') for (const x of node.items) stack.push([x, inDefault]);
    if (node.kind !== 'string' || !node.value.includes('user')) continue;
    let segs;
    try {
      segs = parseTemplate(node.value);
    } catch (e) {
      if (e instanceof TemplateSyntaxError) continue;
      throw e;
    }
    for (const seg of segs) {
      const p = seg.kind === 'action' || seg.kind === 'control' ? seg.pipeline : undefined;
      for (const name of p ? userNames(p) : []) {
        const seen = found.get(name);
        if (!seen || node.start < seen.at) found.set(name, { at: node.start, inDefault: inDefault || !!seen?.inDefault });
        else if (inDefault) seen.inDefault = true;
      }
    }
  }
  return found;
}

/**
 * Names every variable first, so that references anywhere in the template resolve to var.x or local.x. A variable
 * read with `{{user \`x\`}}` but not declared was the empty string in legacy Packer, and `-var x=…` set it: it is
 * declared with an empty default (see convertVariables).
 */
export function declareVariables(m: Migration, variables: JsonNode | undefined): void {
  const members = variables?.kind === 'object' ? lastOfEachKey(variables.members) : [];
  const declared = new Set(members.map((x) => x.key));
  const missing = new Map([...userReads(m.doc.root)].filter(([name]) => !declared.has(name)).sort((a, b) => a[1].at - b[1].at));
  undeclared.set(m, missing);
  const keys = [...members.map((x) => x.key), ...missing.keys()];
  const names = m.variableNames.assign(keys);
  for (const [i, key] of keys.entries()) {
    const name = names[i];
    const mem = members[i] as JsonMember | undefined;
    m.variables.set(key, { jsonName: key, name, local: mem ? needsLocal(mem.value) : false });
    if (name !== key) m.add('renamed', `variable "${key}" is now "${name}" (set it with -var ${name}=…)`, mem ? mem.keyStart : missing.get(key)?.at);
  }
}

/** The blocks of the variables read but not declared: empty default, so that -var still sets them, as it did. */
function undeclaredBlocks(m: Migration): OutItem[] {
  return [...(undeclared.get(m) ?? [])].map(([key, use]) => {
    const name = m.variables.get(key)!.name;
    const b = block('variable', [name], [attr('type', { kind: 'ref', path: ['string'] }), attr('default', str(''))]);
    const failed = use.inDefault ? '; a variable default that reads it stopped legacy Packer with an error unless -var set it' : '';
    m.add('review', `variable "${key}" is read with {{user}} but not declared in "variables": legacy Packer rendered it as the empty string and -var set it, so it is declared with default ""${failed}`, use.at, b);
    return b;
  });
}

export interface VariableOutput {
  /** TODOs about the template's variables as a whole (unknown names in sensitive-variables). */
  todos: OutItem[];
  blocks: OutItem[];
  locals: OutItem[];
  sensitiveLocals: OutItem[];
}

export function convertVariables(m: Migration, variables: JsonNode | undefined, sensitive: JsonNode | undefined): VariableOutput {
  const out: VariableOutput = { todos: [], blocks: [], locals: [], sensitiveLocals: [] };
  const sensitiveNames = new Set<string>();
  if (sensitive?.kind === 'array') {
    for (const s of sensitive.items) {
      if (s.kind === 'string' && m.variables.has(s.value)) sensitiveNames.add(s.value);
      else out.todos.push(m.todo(`sensitive-variables names ${s.kind === 'string' ? JSON.stringify(s.value) : m.json(s)}, which is not a variable of the template; nothing is marked sensitive for it`, s));
    }
  }
  if (variables?.kind !== 'object') {
    for (const b of undeclaredBlocks(m)) out.blocks.push(b);
    return out;
  }
  let vars = 0;
  for (const mem of lastOfEachKey(variables.members)) {
    const info = m.variables.get(mem.key)!;
    const isSensitive = sensitiveNames.has(mem.key);
    if (!info.local) {
      vars++;
      const items: OutItem[] = [attr('type', { kind: 'ref', path: ['string'] })];
      if (mem.value.kind !== 'null') {
        const notes = m.notesOf();
        items.push(notes.on(attr('default', defaultExpr(m, mem, notes))));
      }
      if (isSensitive) items.push(attr('sensitive', { kind: 'bool', value: true }));
      out.blocks.push(block('variable', [info.name], items));
      continue;
    }
    const notes = m.notesOf();
    const value = jsonToExpr(mem.value, m.scope('local', mem.value, notes));
    m.add('converted', `variable "${mem.key}" has a default that is not a literal or env(): it is now local.${info.name} and can no longer be set with -var`, mem.keyStart);
    if (isSensitive) {
      if (m.allows('local-sensitive')) {
        out.sensitiveLocals.push(notes.on(block('local', [info.name], [attr('expression', value), attr('sensitive', { kind: 'bool', value: true })])));
        continue;
      }
      notes.add('review', `local.${info.name} was a sensitive variable; Packer before ${FEATURES['local-sensitive'].since} cannot mark a local sensitive, so its value may appear in logs`, mem.keyStart);
    }
    out.locals.push(notes.on(attr(info.name, value)));
  }
  if (vars) m.add('converted', `${vars} variable${vars === 1 ? '' : 's'} (typed string)`, variables);
  for (const b of undeclaredBlocks(m)) out.blocks.push(b);
  return out;
}

function defaultExpr(m: Migration, mem: JsonMember, notes: Notes) {
  const v = mem.value;
  if (v.kind === 'string') return jsonToExpr(v, m.scope('variable', v, notes));
  if (v.kind === 'number') return str(v.raw);
  if (v.kind === 'boolean') return str(String(v.value));
  notes.add('review', `variable "${mem.key}" has a ${v.kind} default; legacy variables are strings, so it is written as JSON text`, v);
  return str(JSON.stringify(plainValue(v)));
}

/** The variables that stand for `{{env \`X\`}}` used outside variable defaults. */
export function envVariableBlocks(m: Migration): OutBlock[] {
  return [...m.envVariables].map(([env, name]) => {
    const b = block('variable', [name], [attr('type', { kind: 'ref', path: ['string'] }), attr('default', call('env', str(env)))]);
    m.add('converted', `env "${env}" outside a variable default: declared variable "${name}" with default env("${env}")`, m.envFirstUse.get(env), b);
    return b;
  });
}
