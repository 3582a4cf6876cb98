import type { CommandModule } from 'yargs';
import { rules } from '../rules/index.js';
import { fail } from './common.js';

interface RulesArgs {
  format: string;
  debug: boolean;
}

/** `pkrlint rules`: every rule with its default severity, whether it has a fix, and its documentation page. */
export const rulesCommand: CommandModule<object, RulesArgs> = {
  command: 'rules',
  describe: 'List the rules: id, default severity, fixable, documentation',
  builder: (y) => y.option('format', { alias: 'f', choices: ['text', 'json'], default: 'text', describe: 'Output format' }) as never,
  handler: (argv) => {
    try {
      const list = rules.map((r) => ({
        id: r.meta.id,
        // A rule that is off by default shows as off; `severityWhenOn` is what it reports at once turned on.
        severity: r.meta.defaultOff ? 'off' : r.meta.severity,
        severityWhenOn: r.meta.severity,
        fixable: r.meta.fixable,
        suppressible: r.meta.suppressible,
        description: r.meta.description,
        docs: `docs/rules/${r.meta.id}.md`,
      }));
      if (argv.format === 'json') {
        process.stdout.write(JSON.stringify({ version: 1, rules: list }, null, 2) + '\n');
        return;
      }
      const w = Math.max(...list.map((r) => r.id.length));
      let out = `${'rule'.padEnd(w)}  severity  fix  docs\n`;
      for (const r of list) out += `${r.id.padEnd(w)}  ${r.severity.padEnd(8)}  ${r.fixable ? 'yes' : '   '}  ${r.docs}\n`;
      process.stdout.write(out);
    } catch (e) {
      fail(e, argv.debug);
    }
  },
};
