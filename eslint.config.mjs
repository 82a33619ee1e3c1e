// Lint rules, including the layering of the monorepo (docs/adr/0007-layering-and-names.md).
// The layering is an allow-list: each library names the libraries it may import, so a new
// dependency is a one-line change here that a reviewer sees, and any other import fails CI.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * Pure libraries: no I/O, no Nest, no process environment. They compute or parse,
 * and may import only other pure libraries.
 */
const PURE = ['contracts', 'risk-engine', 'twin-engine', 'epcis-formats', 'feed-formats', 'geo-engine', 'forecast-engine', 'place-engine'];

/** Which of our libraries each library may import (apps may import any library). */
const ALLOWED = {
  contracts: [],
  'risk-engine': ['contracts'],
  'twin-engine': ['contracts', 'risk-engine'],
  'epcis-formats': ['contracts'],
  'geo-engine': ['contracts'],
  'feed-formats': ['contracts', 'geo-engine'],
  'forecast-engine': ['contracts'],
  'place-engine': ['contracts', 'geo-engine'],
  config: ['contracts'],
  observability: ['config', 'contracts'],
  graph: ['config', 'contracts', 'epcis-formats', 'geo-engine', 'observability'],
  queues: ['config', 'contracts', 'observability'],
  health: ['config', 'contracts', 'graph', 'observability', 'queues'],
  audit: ['config', 'contracts', 'graph', 'observability'],
  access: ['audit', 'config', 'contracts', 'graph', 'observability', 'queues'],
  'demo-network': ['contracts'],
  'risk-runs': ['config', 'contracts', 'geo-engine', 'graph', 'observability', 'queues', 'risk-engine', 'twin-engine'],
  disruptions: ['config', 'contracts', 'feed-formats', 'geo-engine', 'graph', 'observability', 'queues'],
  telemetry: ['audit', 'config', 'contracts', 'forecast-engine', 'graph', 'observability', 'queues'],
  portal: ['audit', 'config', 'contracts', 'graph', 'observability', 'queues'],
  webhooks: ['audit', 'config', 'contracts', 'graph', 'observability', 'queues'],
  'twin-runs': ['config', 'contracts', 'graph', 'observability', 'queues', 'risk-engine', 'risk-runs', 'twin-engine'],
  traceability: ['audit', 'config', 'contracts', 'epcis-formats', 'graph', 'observability', 'queues', 'telemetry'],
  onboarding: ['config', 'contracts', 'graph', 'observability', 'place-engine', 'queues'],
  backtests: ['config', 'contracts', 'disruptions', 'feed-formats', 'geo-engine', 'graph', 'observability', 'queues', 'risk-engine', 'risk-runs', 'webhooks'],
};

/** Runtime modules that do I/O or tie code to a framework: never in a pure library's sources. */
const IO_MODULES = ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:https', 'node:child_process', 'neo4j-driver', 'ioredis', 'bullmq', 'mqtt'];

const LIBS = Object.keys(ALLOWED);

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The import rules of one library's files. With `specs`, the rules of its *.spec.ts files: test helpers
 * of a pure library may be shared by specs, so a spec may import `src/testing/**` of a pure library its
 * library may import (they stay out of the index, which must not pull in test-only packages).
 */
function libraryRules(lib, { specs = false } = {}) {
  const forbidden = LIBS.filter((other) => other !== lib && !ALLOWED[lib].includes(other));
  const sharesTestHelpers = (other) => specs && PURE.includes(other) && ALLOWED[lib].includes(other);
  const patterns = [
    { group: ['@tiersight/*/**'], message: 'Import a library through its index (@tiersight/<lib>), never its internals.' },
    { group: ['**/apps/**'], message: 'Libraries never import apps.' },
    ...LIBS.filter((other) => other !== lib).map((other) => {
      const message = `Import ${other} as @tiersight/${other}, through its index.`;
      if (sharesTestHelpers(other)) return { regex: `^(?:\\.\\./\\.\\./|(?:.*/)?libs/)${escapeRegExp(other)}/(?!src/testing/)`, message };
      return { group: [`**/libs/${other}/**`, `../../${other}/**`], message };
    }),
  ];
  if (PURE.includes(lib)) patterns.push({ group: ['@nestjs/*'], message: `${lib} is pure: no Nest.` });
  return {
    files: specs ? [`libs/${lib}/**/*.spec.ts`] : [`libs/${lib}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...forbidden.map((other) => ({
              name: `@tiersight/${other}`,
              message: `${lib} may not depend on ${other} (layering in eslint.config.mjs; see docs/adr/0007-layering-and-names.md).`,
            })),
            ...(PURE.includes(lib) ? IO_MODULES.map((name) => ({ name, message: `${lib} is pure: no I/O module.` })) : []),
          ],
          patterns,
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      '.local/**',
      'coverage/**',
      'test-artifacts/**',
      'tools/neo4j/**',
      'apps/web/src/api/schema.d.ts',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Type-aware rules that catch real bugs in async NestJS/BullMQ code.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-syntax': [
        'error',
        { selector: "TSAsExpression > TSAsExpression[typeAnnotation.type='TSUnknownKeyword']", message: 'Type the value instead of `as unknown as`.' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Tests may cast freely to build bad input; they still may not float promises.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/testing/**', 'test/**', 'bench/**'],
    rules: {
      'no-restricted-syntax': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The Vite config belongs to no tsconfig project (the web project holds src/ only): lint it without type information.
    files: ['apps/web/vite.config.mts'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...LIBS.map((lib) => libraryRules(lib)),
  ...LIBS.map((lib) => libraryRules(lib, { specs: true })),
  {
    // A pure library's tests may read fixtures from disk.
    files: PURE.flatMap((lib) => [`libs/${lib}/**/*.spec.ts`, `libs/${lib}/**/testing/**`]),
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Only the config library reads the process environment.
    files: ['libs/**/*.ts', 'apps/**/*.ts', 'apps/**/*.tsx'],
    ignores: ['libs/config/**', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through @tiersight/config.' }],
    },
  },
  prettier,
);
