/** A configuration or command-line value the simulator cannot run with; the message names the field. */
export class SimulatorConfigError extends Error {
  override readonly name = 'SimulatorConfigError';

  constructor(
    readonly field: string,
    problem: string,
    /** Where the value came from (a file path), when not the command line. */
    readonly source?: string,
  ) {
    super(`${source === undefined ? '' : `${source}: `}${field} ${problem}`);
  }
}
