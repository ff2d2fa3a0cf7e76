/** One jest run covers every package; projects keep their own roots and setup. */
const transform = {
  '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};

const fs = require('node:fs');
const path = require('node:path');

/**
 * Dependencies published as ES modules: jest's CommonJS runtime needs them compiled too. Found by
 * reading the pnpm store, so a new ESM-only dependency needs no edit here. (Their .cjs files, if
 * any, are not matched by the transform and load as they are.)
 */
function esmPackages() {
  const store = path.join(__dirname, 'node_modules/.pnpm');
  const names = new Set();
  for (const entry of fs.existsSync(store) ? fs.readdirSync(store) : []) {
    const modules = path.join(store, entry, 'node_modules');
    const at = entry.lastIndexOf('@');
    const name = (at > 0 ? entry.slice(0, at) : entry).replace('+', '/');
    try {
      if (JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8')).type === 'module') names.add(name);
    } catch {
      // not a package folder
    }
  }
  return [...names].map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace('/', '[+/]'));
}
const transformIgnorePatterns = [`/node_modules/(?!(\\.pnpm/)?(${esmPackages().join('|') || 'none'})[@/])`];

/** @type {import('jest').Config} */
module.exports = {
  // jest-circus reads the timeout from the global config only: a project's `testTimeout` is ignored,
  // so without this every hook and test gets 5 s, which a loaded machine exceeds starting an app.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'shared',
      rootDir: '<rootDir>/shared',
      testMatch: ['<rootDir>/src/**/*.test.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
    {
      displayName: 'server',
      rootDir: '<rootDir>/server',
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
      testTimeout: 30_000,
    },
    {
      displayName: 'web',
      rootDir: '<rootDir>/web',
      testMatch: ['<rootDir>/src/**/*.test.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
    {
      displayName: 'e2e',
      rootDir: '<rootDir>/server',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
      testTimeout: 120_000,
    },
  ],
};
