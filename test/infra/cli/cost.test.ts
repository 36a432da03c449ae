import { describe, expect, it, vi } from 'vitest';
import { costCommand, INTERFACE_ENDPOINTS } from '../../../infra/cli/commands/cost.ts';
import { FUNCTION_API_ENDPOINTS } from '../../../infra/stacks/network-stack.ts';

async function run(...args: string[]): Promise<string> {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await costCommand()
      .exitOverride()
      .parseAsync(['node', 'cost', ...args]);
    return stdout;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('cag cost', () => {
  it('prints the monthly cost by service, the total and the cost per encounter', async () => {
    const stdout = await run('--encounters-per-day', '40', '--minutes-per-encounter', '15');
    // 40 x 21 = 840 encounters; 15 min = 900 s in 2.88 s segments = 313 streams each, 262,920 in all, each billed
    // 15 s: 3,943,800 s = 65,730 min x $0.075 = $4,929.75 (the 12,600 audio minutes alone would be $945).
    expect(stdout).toMatch(
      /Transcribe Medical\s+\$4,929\.75\s+262920 streams \(12600 min in 2\.88 s segments\), each billed 15 s: 65730 min x \$0\.075/,
    );
    expect(stdout).toMatch(/VPC endpoints\s+\$160\.\d\d/);
    expect(stdout).toMatch(/Cost per encounter:\s+\$\d+\.\d\d/);
    expect(stdout).toContain('Unverified prices');
  });

  it('models longer (Ogg/Opus) segments, each stream billed for its own length above 15 s', async () => {
    const stdout = await run('--encounters-per-day', '40', '--minutes-per-encounter', '15', '--segment-seconds', '20');
    // 900 s in 20 s segments = 45 streams per encounter, 37,800 in all, each billed 20 s: 12,600 min x $0.075 = $945.
    expect(stdout).toMatch(/Transcribe Medical\s+\$945\.00\s+37800 streams \(12600 min in 20 s segments\)/);
  });

  it('prints JSON with the scenario, the deployment shape and the assumptions', async () => {
    const stdout = await run('--encounters-per-day', '10', '--minutes-per-encounter', '20', '--azs', '3', '--json');
    const parsed = JSON.parse(stdout) as {
      scenario: { azs: number };
      shape: { interfaceEndpoints: number };
      estimate: { encountersPerMonth: number };
    };
    expect(parsed.scenario.azs).toBe(3);
    expect(parsed.estimate.encountersPerMonth).toBe(210);
    expect(parsed.shape.interfaceEndpoints).toBe(INTERFACE_ENDPOINTS);
  });

  it('rejects a negative volume as a usage error', async () => {
    await expect(run('--encounters-per-day', '-3', '--minutes-per-encounter', '15')).rejects.toThrow(/between 0 and/);
  });

  it('counts the same interface endpoints as the network stack creates', () => {
    expect(INTERFACE_ENDPOINTS).toBe(Object.keys(FUNCTION_API_ENDPOINTS).length);
  });
});
