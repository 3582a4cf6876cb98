// ESLint for pkrlint's own code: typescript-eslint's type-checked rules over src/, test/ and bench/. `npm test`
// runs it (scripts/run-tests.js); `npm run lint` alone. Type information comes from TypeScript 6 (the `typescript`
// package, whose API typescript-eslint needs); the build compiles with TypeScript 7 (`typescript-native`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/', 'dist/', 'node_modules/', 'bench/out/', 'fixtures/', 'scripts/', 'eslint.config.js', 'editors/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Control characters in patterns are the point where pkrlint escapes terminal controls and checks it does.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read pkrlint's JSON and SARIF output back as untyped data to probe it.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
