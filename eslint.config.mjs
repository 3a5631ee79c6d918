import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

/**
 * Module boundaries in two dimensions. `type:` says what a project may use:
 * contracts use only contracts; pure utils add no I/O plumbing; apps use libs
 * and never another app. `scope:` says whose it is: a service's own libs are
 * reachable from that service (and shared ones from all).
 */
const typeConstraints = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access'] },
  { sourceTag: 'type:harness', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access'] },
];
const scopeConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ingest'] },
  { sourceTag: 'scope:normalize', onlyDependOnLibsWithTags: ['scope:shared', 'scope:normalize'] },
  { sourceTag: 'scope:enrich', onlyDependOnLibsWithTags: ['scope:shared', 'scope:enrich'] },
  { sourceTag: 'scope:metrics', onlyDependOnLibsWithTags: ['scope:shared', 'scope:metrics'] },
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared', 'scope:api', 'scope:metrics'] },
];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', '.nx/**', 'coverage/**', 'bench/results/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allowCircularSelfDependency: false,
          banTransitiveDependencies: false,
          depConstraints: [...typeConstraints, ...scopeConstraints],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': 'error',
    },
  },
  {
    // Contracts are pure: no framework, no I/O (their tests may read files).
    files: ['libs/contracts/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'kafkajs', 'pg', 'typeorm', 'pino', 'prom-client'],
              message: 'contracts import no framework and do no I/O',
            },
            {
              group: ['node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:child_process'],
              message: 'contracts do no I/O',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and their helpers (__tests__, never built) may also use the harness (fixtures, isolated databases, service processes).
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/__tests__/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [
            ...typeConstraints.map((constraint) => ({
              ...constraint,
              onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:harness'],
            })),
            ...scopeConstraints.map((constraint) => ({
              ...constraint,
              onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'scope:shared'],
            })),
          ],
        },
      ],
    },
  },
  { files: ['**/*.mjs', '**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  prettier,
];
