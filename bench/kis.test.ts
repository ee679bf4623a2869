/**
 * `npm run bench -- kis` at a tiny load: it runs, checks its own pools decode, and writes every field the README
 * quotes. Timing is not asserted.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

describe('kis bench', () => {
  it('writes a results file with a row per workload and its Markdown table', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kis-bench-'));
    vi.stubEnv('BENCH_RESULTS_DIR', dir);
    vi.resetModules();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const { kisBench } = await import('./kis');
      expect(await kisBench.run(['--seconds', '0.2', '--rounds', '2', '--warmup', '0', '--batch', '3', '--quiet-wait', '0'])).toBe(0);
      const latest = JSON.parse(await readFile(path.join(dir, 'kis-latest.json'), 'utf8'));
      expect(latest.results).toHaveLength(3);
      for (const row of latest.results) {
        expect(row.recordsPerSecond).toBeGreaterThan(0);
        expect(row.splitRecordsPerSecond).toBeGreaterThan(0);
      }
      expect(latest.results[0].recordsPerFrame).toBe(3);
      expect(latest.table.markdown).toContain("split('^')");
      expect(latest.machine.cpuCount).toBeGreaterThan(0);
    } finally {
      log.mockRestore();
      vi.unstubAllEnvs();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
