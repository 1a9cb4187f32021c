// What the CLI's exit status means; scripts and CI branch on these.
export const EXIT = {
  /** The command did what was asked: the run SUCCEEDED, or the listing was printed. */
  ok: 0,
  /** The run ended PARTIAL, FAILED or CANCELLED, was refused, or does not exist. */
  runNotSucceeded: 1,
  /** The command line is wrong. */
  usage: 2,
  /** The server could not be reached, refused the token, or did not answer as Broadsync does. */
  server: 3,
  /** Interrupted (Ctrl-C) while following a run; the run itself goes on. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure that ends the command with a message and an exit code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export function exitCodeForStatus(status: string): ExitCode {
  return status === 'SUCCEEDED' ? EXIT.ok : EXIT.runNotSucceeded;
}
