import { FEATURES } from '../packer/version.js';
import { attr, block, call, str, type OutBlock, type OutItem } from '../hcl/model.js';
import { plainValue, type JsonMember, type JsonNode } from '../syntax/json.js';
import type { Migration, Notes } from './context.js';
import { functionsOf, parseTemplate, TemplateSyntaxError, usesPluginData } from './gotemplate.js';
import { jsonToExpr, lastOfEachKey } from './body.js';

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

/** Names every variable first, so that references anywhere in the template resolve to var.x or local.x. */
export function declareVariables(m: Migration, variables: JsonNode | undefined): void {
  if (variables?.kind !== 'object') return;
  const members = lastOfEachKey(variables.members);
  const names = m.variableNames.assign(members.map((x) => x.key));
  for (const [i, mem] of members.entries()) {
    const name = names[i];
    const local = needsLocal(mem.value);
    m.variables.set(mem.key, { jsonName: mem.key, name, local });
    if (name !== mem.key) m.add('renamed', `variable "${mem.key}" is now "${name}" (set it with -var ${name}=…)`, mem.keyStart);
  }
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
  if (variables?.kind !== 'object') return out;
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
