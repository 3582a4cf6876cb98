import type { CommandModule } from 'yargs';

interface LspArgs {
  stdio: boolean;
}

export const lspCommand: CommandModule<object, LspArgs> = {
  command: 'lsp',
  describe: 'Run the language server over standard input and output (docs/editors.md)',
  builder: (y) => y.option('stdio', { type: 'boolean', default: true, describe: 'Speak LSP over stdin/stdout (the only transport)' }),
  handler: async () => {
    // Loaded on use: the protocol library is most of the bundle, and a `check` run (a pre-commit call) never needs it.
    const { startServer } = await import('../lsp/server.js');
    startServer();
  },
};
