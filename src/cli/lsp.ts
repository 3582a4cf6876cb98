import type { CommandModule } from 'yargs';
import { startServer } from '../lsp/server.js';

interface LspArgs {
  stdio: boolean;
}

export const lspCommand: CommandModule<object, LspArgs> = {
  command: 'lsp',
  describe: 'Run the language server over standard input and output (docs/editors.md)',
  builder: (y) => y.option('stdio', { type: 'boolean', default: true, describe: 'Speak LSP over stdin/stdout (the only transport)' }),
  handler: () => {
    startServer();
  },
};
