/** A command-line flag or setting that cannot be used; the message names it. The process exits with 2. */
export class SimulatorConfigError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = 'SimulatorConfigError';
  }
}
