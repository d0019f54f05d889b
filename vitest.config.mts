import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'electron/**/*.test.ts', 'shared/**/*.test.ts'],
    environment: 'node',
    // Real SQLite files and scrypt hashes: give slow machines room without timing assertions.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks'
  }
})
