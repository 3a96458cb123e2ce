import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Determinism by construction: nothing inside the simulation may read the wall clock, draw unseeded
// randomness, use Node's timers or touch the real file system.
const SIMULATION = ['src/sim/**', 'src/net/**', 'src/host/**', 'src/kernel/**', 'src/daemons/**'];
const why = 'the simulation must be deterministic: use the Simulator clock, its RNG streams and the host VFS';

export default tseslint.config(
  { ignores: ['node_modules/**', 'reports/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['bin/**'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: SIMULATION,
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: why },
        { object: 'Date', property: 'now', message: why },
        { object: 'performance', property: 'now', message: why },
        { object: 'process', property: 'hrtime', message: why },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: why },
        { name: 'setInterval', message: why },
        { name: 'setImmediate', message: why },
        { name: 'performance', message: why },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date']", message: why }],
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'timers', 'node:timers', 'node:timers/promises'].map(
            (name) => ({ name, message: why }),
          ),
        },
      ],
    },
  },
);
