/** The launchctl simulator's section of the state file (sim/lib/launchctl-tool.js), as tests read it. */

export interface LaunchctlJob {
  path: string;
  plist: Record<string, unknown>;
  runs: number;
  lastExitCode: number | null;
  pid: number | null;
}

export interface LaunchctlState {
  guiSessions?: number[];
  /** Loaded jobs by domain (gui/501), then by label. */
  services: Record<string, Record<string, LaunchctlJob>>;
}
