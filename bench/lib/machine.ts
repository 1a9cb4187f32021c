// The machine a result was measured on, from Node's os module.
import os from 'node:os';

export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const [l1, l5] = os.loadavg();
  return [
    `${cpus.length} × ${model}`,
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    `${os.type()} ${os.release()} ${os.arch()}`,
    `Node.js ${process.version}`,
    `load average at start ${l1!.toFixed(2)} / ${l5!.toFixed(2)} (1 / 5 min)`,
  ].join('; ');
}
