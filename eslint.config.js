const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const vue = require('eslint-plugin-vue');
const globals = require('globals');

module.exports = tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', 'data/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, sourceType: 'module' }, globals: globals.browser },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-control-regex': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    // Only adapters, the image pipeline and sfu/ may import infrastructure drivers (DESIGN.md).
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/**/*-*.ts', 'server/src/deps.ts', 'server/src/app.ts', 'server/src/sfu/**', 'server/src/media/**', 'server/src/platform/**', 'server/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['ioredis', 'sharp', 'mediasoup', '@aws-sdk/client-s3'].map((name) => ({ name, message: 'Features reach infrastructure through a port; see DESIGN.md.' })) }],
    },
  },
  {
    // Inside media/: sharp only in the image pipeline (through pipeline/sharp.ts, which hardens it),
    // the AWS SDK only in the S3 adapter.
    files: ['server/src/media/**/*.ts'],
    ignores: ['server/src/media/pipeline/sharp.ts', 'server/src/media/blobs/s3-blob-store.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['ioredis', 'sharp', 'mediasoup', '@aws-sdk/client-s3'].map((name) => ({ name, message: 'Only pipeline/sharp.ts loads sharp and only the S3 adapter loads the AWS SDK.' })) }],
    },
  },
  {
    // Flash sales, orders and payments: Redis only in the Redis adapters (redis-*.ts), whatever the file's name.
    files: ['server/src/flash-sales/**/*.ts', 'server/src/orders/**/*.ts', 'server/src/payments/**/*.ts'],
    ignores: ['server/src/**/redis-*.ts', 'server/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'ioredis', message: 'Only the Redis adapters (redis-*.ts) talk to Redis; see DESIGN.md.' }] }],
    },
  },
);
