// Progress lines on the terminal: what runs now and an estimate of the time left in the suite.
export class Progress {
  #done = 0;
  #startedAt = Date.now();
  constructor(
    private total: number,
    private readonly write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  ) {}

  addPlanned(steps: number): void {
    this.total += steps;
  }

  step(what: string): void {
    this.#done++;
    const elapsedS = (Date.now() - this.#startedAt) / 1000;
    const perStep = this.#done > 1 ? elapsedS / (this.#done - 1) : 0;
    const left = perStep ? ` ~${formatDuration(perStep * Math.max(0, this.total - this.#done + 1))} left` : '';
    this.write(`[lab ${formatDuration(elapsedS)} ${this.#done}/${Math.max(this.total, this.#done)}${left}] ${what}`);
  }

  note(line: string): void {
    this.write(`[lab] ${line}`);
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
