// Lint rules, including the import direction of the architecture (../shared/STYLE.md):
// apps -> libs; domain imports nothing of ours; sources, matching and notify import only domain and
// config; no lib imports an app.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const libs = ['domain', 'config', 'db', 'queue', 'sources', 'matching', 'notify'];
const forbidLibs = (names, why) =>
  names.flatMap((name) => [{ group: [`@partnerwatch/${name}`, `**/libs/${name}/**`], message: why }]);
const noApps = { group: ['**/apps/**'], message: 'libs never import apps: apps depend on libs, not the other way' };

export default tseslint.config(
  { ignores: ['dist/**', 'generated/**', 'node_modules/**', 'coverage/**', 'apps/dashboard/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // No consistent-type-imports: Nest's injection reads constructor parameter types at run time
      // (emitDecoratorMetadata), so an injected class must stay a value import.
      'no-console': 'error',
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidLibs(
              libs.filter((l) => l !== 'domain'),
              'domain is pure: it imports no other lib',
            ),
            noApps,
            {
              group: ['@nestjs/*', '@prisma/*', 'bullmq', 'ioredis', 'axios', 'pg'],
              message: 'domain has no I/O and no framework',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidLibs(
              libs.filter((l) => l !== 'config'),
              'config imports no other lib',
            ),
            noApps,
          ],
        },
      ],
    },
  },
  ...['sources', 'matching', 'notify'].map((lib) => ({
    files: [`libs/${lib}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidLibs(
              libs.filter((l) => !['domain', 'config', lib].includes(l)),
              `${lib} imports only domain and config: never db, queue or another adapter lib`,
            ),
            noApps,
          ],
        },
      ],
    },
  })),
  ...['db', 'queue'].map((lib) => ({
    files: [`libs/${lib}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidLibs(['sources', 'matching', 'notify'], `${lib} does not depend on adapter libs`),
            noApps,
          ],
        },
      ],
    },
  })),
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'apps/demo/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'off',
    },
  },
  {
    // Plain CommonJS helpers run by the shell scripts before anything is built.
    files: ['scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
