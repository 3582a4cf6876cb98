import { createRule } from './types.js';

// Judged by the engine after every other rule has run (src/lint/lint.ts, applyIgnores), since only then is it known
// whether an ignore comment suppressed anything. Its fix (src/rules/_fixes.ts, ignoreCommentFix) removes the comment or
// the unused rule ids from it.
export default createRule(
  { id: 'unused-ignore', description: 'Reports an inline ignore comment that suppressed nothing.', severity: 'warning', fixable: true, messages: {} },
  () => {},
);
