import { describe, expect, it } from 'vitest';
import { getPorts, type Ports, usePorts } from '../../../shared/runtime/ports.ts';

const portsNamed = (name: string) => ({ adapters: { name: { adapter: name, kind: 'local' } } }) as unknown as Ports;
const nameOf = (ports: Ports) => ports.adapters.name?.adapter;

describe('usePorts', () => {
  it('uses the newest installation and brings back the previous one when it is released', () => {
    const releaseFirst = usePorts(portsNamed('first'));
    const releaseSecond = usePorts(portsNamed('second'));
    expect(nameOf(getPorts())).toBe('second');

    releaseSecond();
    expect(nameOf(getPorts())).toBe('first');
    releaseSecond();
    expect(nameOf(getPorts())).toBe('first');
    releaseFirst();
  });

  it('keeps the newest installation when an older one is released first', () => {
    const releaseFirst = usePorts(portsNamed('first'));
    const releaseSecond = usePorts(portsNamed('second'));

    releaseFirst();
    expect(nameOf(getPorts())).toBe('second');
    releaseSecond();
  });
});
