import { createRule } from './types.js';

// Parse errors are produced by the parsers themselves (src/syntax/) and reported by the engine before any rule runs;
// this entry carries the rule's metadata so that it can be configured and documented like every other rule.
export default createRule(
  { id: 'syntax', description: 'Reports parse errors in HCL2 and JSON templates.', severity: 'error', suppressible: false, messages: {} },
  () => {},
);
