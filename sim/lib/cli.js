// The frame every simulator's executable runs in: it turns thrown exits into a process exit
// code and keeps a simulator's own faults (a broken state file) apart from the tool's
// behaviour, so a test can tell "the Mac said no" from "the test set-up is wrong".

/** Exit code for faults of the simulator itself (EX_SOFTWARE), never produced by the real tools. */
export const SIMULATOR_FAULT = 70;

/** Thrown to end the tool with an exit code after writing to stderr (and optionally stdout). */
export class ToolExit extends Error {
  /**
   * @param {number} exitCode
   * @param {{ stderr?: string, stdout?: string }} [output]
   */
  constructor(exitCode, output = {}) {
    super(`exit ${exitCode}`);
    this.exitCode = exitCode;
    this.stderr = output.stderr ?? '';
    this.stdout = output.stdout ?? '';
  }
}

/** A fault in the simulator's set-up (unreadable state, nowhere to save): exit 70 with a marked message. */
export class SimulatorFault extends Error {}

/**
 * Runs a simulator's main function and exits with its result.
 * @param {string} tool the simulated tool's name, used to mark simulator faults
 * @param {(argv: string[]) => number | Promise<number>} main returns the exit code
 */
export async function runTool(tool, main) {
  let code;
  try {
    code = await main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ToolExit) {
      if (e.stdout) process.stdout.write(e.stdout);
      if (e.stderr) process.stderr.write(e.stderr);
      code = e.exitCode;
    } else {
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`${tool} (simulator fault): ${message}\n`);
      code = SIMULATOR_FAULT;
    }
  }
  // exitCode rather than exit(): lets pending stdout writes to a pipe drain first.
  process.exitCode = code;
}

/** Ends the tool with a usage message on stderr and exit 1, as the real tools do for bad arguments. */
export function usageExit(text) {
  throw new ToolExit(1, { stderr: text.endsWith('\n') ? text : `${text}\n` });
}
