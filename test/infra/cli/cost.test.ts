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
    expect(stdout).toMatch(/Transcribe Medical\s+\$945\.00\s+12600 min x \$0\.075/);
    expect(stdout).toMatch(/VPC endpoints\s+\$160\.\d\d/);
    expect(stdout).toMatch(/Cost per encounter:\s+\$\d+\.\d\d/);
    expect(stdout).toContain('Unverified prices');
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
