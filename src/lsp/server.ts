/** LSP over stdio: vscode-languageserver's connection and documents, handlers calling the language service. */
import { fileURLToPath } from 'node:url';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pkrlintVersion } from '../cli/version.js';
import { FIX_ALL, LanguageService, pathOf, type OpenDocument } from './service.js';
import { DEFAULT_SETTINGS, readSettings } from './settings.js';

export function startServer(): Connection {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  const documents = new TextDocuments(TextDocument);
  let service: LanguageService | undefined;
  let pullConfiguration = false;
  const timers = new Map<string, NodeJS.Timeout>();
  /** The client's workspace/configuration, asked for once initialized: checks wait for it. */
  let configured: Promise<void> = Promise.resolve();

  const open = (): OpenDocument[] => documents.all().map((d) => ({ uri: d.uri, text: d.getText(), version: d.version }));
  const logError = (what: string, e: unknown) => connection.console.error(`pkrlint: ${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);

  /** Runs a handler; an internal error is logged and the request answered with `fallback`, never a crash. */
  function safely<T>(what: string, fallback: T, f: () => T): T {
    try {
      return f();
    } catch (e) {
      logError(what, e);
      return fallback;
    }
  }

  function recheck(uri: string): void {
    safely(`checking ${uri}`, undefined, () => {
      if (!service || !documents.get(uri)) return;
      for (const [u, diagnostics] of service.check(uri, open())) {
        const doc = documents.get(u);
        if (doc) void connection.sendDiagnostics({ uri: u, version: doc.version, diagnostics });
      }
    });
  }

  /** Re-checks after a pause in typing; one timer per directory, since a unit is checked whole. */
  function schedule(uri: string): void {
    const path = pathOf(uri);
    const key = path ? path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))) : uri;
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void configured.then(() => recheck(uri));
      }, service?.debounceMs ?? DEFAULT_SETTINGS.debounceMs),
    );
  }

  async function loadConfiguration(): Promise<void> {
    if (!pullConfiguration || !service) return;
    try {
      const raw: unknown = await connection.workspace.getConfiguration('pkrlint');
      if (raw) service.configure(raw);
    } catch (e) {
      logError('reading workspace/configuration', e);
    }
  }

  connection.onInitialize((params: InitializeParams) => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    let root = process.cwd();
    if (folder?.startsWith('file:')) root = fileURLToPath(folder);
    service = new LanguageService(readSettings(params.initializationOptions ?? DEFAULT_SETTINGS), root, (m) => connection.console.warn(m));
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL] },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [] },
      },
      serverInfo: { name: 'pkrlint', version: pkrlintVersion() },
    };
  });

  connection.onInitialized(() => {
    configured = loadConfiguration();
  });

  connection.onDidChangeConfiguration((change) => {
    void (async () => {
      const settings = (change.settings as Record<string, unknown> | null)?.pkrlint;
      if (settings && service) service.configure(settings);
      configured = loadConfiguration();
      await configured;
      for (const d of documents.all()) schedule(d.uri);
    })();
  });

  documents.onDidOpen((e) => schedule(e.document.uri));
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    safely('closing', undefined, () => {
      service?.forget(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
      // The other open files of its unit now read this one from disk.
      const other = service?.unitDocuments(e.document.uri, open()).find((d) => d.uri !== e.document.uri);
      if (other) schedule(other.uri);
    });
  });

  connection.onCodeAction((p) => safely('code actions', [], () => service?.codeActions(p.textDocument.uri, p.range, open(), p.context.only) ?? []));
  connection.onHover((p) => safely('hover', null, () => service?.hover(p.textDocument.uri, p.position, open()) ?? null));
  connection.onCompletion((p) => safely('completion', [], () => service?.completion(p.textDocument.uri, p.position, open()) ?? []));

  process.on('uncaughtException', (e) => logError('uncaught exception', e));
  process.on('unhandledRejection', (e) => logError('unhandled rejection', e));

  documents.listen(connection);
  connection.listen();
  return connection;
}
