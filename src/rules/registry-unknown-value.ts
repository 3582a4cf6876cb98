import { walkExpr, type Expr } from '../syntax/hcl.js';
import type { Config } from '../packer/config.js';
import { at, registryBody } from './_registry.js';
import { createRule, type Severity } from './types.js';

interface Problem {
  what: string;
  severity: Severity;
}

/** Why an expression is unknown when Packer decodes the registry block, following locals. */
function problems(e: Expr, cfg: Config, seen: Set<string>): Problem[] {
  const out: Problem[] = [];
  walkExpr(e, (x) => {
    if (x.kind === 'call' && x.name === 'env') {
      out.push({ what: 'env() (it exists only in variable defaults: declare a variable with default = env("…") and use var.…)', severity: 'error' });
    } else if (x.kind === 'traversal') {
      const first = x.steps[0]?.name;
      if (x.root === 'source' || x.root === 'build') out.push({ what: `${x.root}.${first ?? ''}`, severity: 'error' });
      else if (x.root === 'packer' && (first === 'versionFingerprint' || first === 'iterationID')) out.push({ what: `packer.${first}`, severity: 'error' });
      else if (x.root === 'data') out.push({ what: `data.${x.steps.map((s) => s.name).join('.')} (known during packer build, unknown during packer validate)`, severity: 'warning' });
      else if (x.root === 'local' && typeof first === 'string' && !seen.has(first)) {
        seen.add(first);
        const decl = cfg.locals.get(first);
        if (decl) for (const p of problems(decl.attr.expr, cfg, seen)) out.push({ ...p, what: `local.${first}, which uses ${p.what} (${at(decl.file, decl.attr.start)})` });
      }
    }
  });
  return out;
}

export default createRule(
  {
    id: 'registry-unknown-value',
    description: 'Reports values in hcp_packer_registry that are unknown when Packer decodes the block.', severity: 'error',
    messages: {
      unknownAtDecode: '{{arg}} uses {{what}}: this value is unknown when Packer decodes hcp_packer_registry, and the build fails',
      maybeUnknown: '{{arg}} uses {{what}}: the registry block may not be decodable',
    },
  },
  (ctx) => {
    const cfg = ctx.hcl?.config;
    if (!cfg) return;
    for (const r of cfg.registries) {
      const body = registryBody(r);
      for (const s of body?.statements ?? []) {
        if (s.kind !== 'attribute') continue;
        walkExpr(s.expr, (x) => {
          // Report each offending reference at its own place; locals are judged through their definitions.
          if (x.kind !== 'traversal' && !(x.kind === 'call' && x.name === 'env')) return;
          for (const p of problems(x, cfg, new Set())) {
            ctx.report({
              severity: p.severity,
              messageId: p.severity === 'error' ? 'unknownAtDecode' : 'maybeUnknown',
              data: { arg: s.name, what: p.what },
              file: r.file,
              start: x.start,
              end: x.end,
            });
          }
        });
      }
    }
  },
);
