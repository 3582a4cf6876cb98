// The pkrlint extension: starts `pkrlint lsp` (the language server of docs/editors.md) for Packer templates.
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function documentSelector(config) {
  const patterns = ['**/*.pkr.hcl', '**/*.pkrvars.hcl', '**/*.pkr.json'];
  if (config.get('legacyJson')) patterns.push('**/*.json');
  return patterns.map((pattern) => ({ scheme: 'file', pattern }));
}

/** The settings as the server reads them (section `pkrlint`): empty strings mean "not set". */
function settings(config) {
  return {
    env: config.get('env'),
    envFiles: config.get('envFiles'),
    processEnv: config.get('processEnv'),
    packerVersion: config.get('packerVersion') || undefined,
    config: config.get('config') || undefined,
    debounceMs: config.get('debounceMs'),
  };
}

async function start() {
  const config = vscode.workspace.getConfiguration('pkrlint');
  const command = config.get('path') || 'pkrlint';
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient('pkrlint', 'pkrlint', { run: server, debug: server }, {
    documentSelector: documentSelector(config),
    initializationOptions: settings(config),
    // The server asks for section `pkrlint` (workspace/configuration) and is told when it changes.
    synchronize: { configurationSection: 'pkrlint' },
    middleware: {
      workspace: {
        configuration: (params) => params.items.map((item) => (item.section === 'pkrlint' ? settings(vscode.workspace.getConfiguration('pkrlint', item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)) : null)),
      },
    },
  });
  await client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('pkrlint.restart', async () => {
      if (client) await client.stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      // The command and the files handed to the server are fixed when it starts.
      if (e.affectsConfiguration('pkrlint.path') || e.affectsConfiguration('pkrlint.legacyJson')) await vscode.commands.executeCommand('pkrlint.restart');
    }),
  );
  try {
    await start();
  } catch (e) {
    vscode.window.showErrorMessage(`pkrlint: could not start \`${vscode.workspace.getConfiguration('pkrlint').get('path') || 'pkrlint'} lsp\` (${e.message}). Install pkrlint (npm install -g pkrlint) or set pkrlint.path.`);
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
