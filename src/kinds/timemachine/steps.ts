/** How a Time Machine destination is recognised among tmutil's: by mount point, or by account, host and share. */
/** A drive by its mount point; a share by account, share name and every name its server is declared by (`hosts`), over SMB unless `protocol` says AFP. */
export type DestinationMatch = { mountPoint: string } | { user: string; host: string; share: string; hosts?: string[]; protocol?: 'afp' };

/** The Time Machine kind's own steps, each one tmutil call (kinds/timemachine/run-timemachine.ts). */
export type TimeMachineStep =
  | {
      /** tmutil setdestination: a mount point, smb://user@host/share or afp://user@host/share (never with a password). */
      op: 'tm-add-destination';
      target: string;
      label: string;
      /** -a: keep the destinations already there. */
      append: boolean;
      /** -p: tmutil asks for the share's password on the terminal; otherwise the keychain's is used. */
      prompt: boolean;
      match: DestinationMatch;
    }
  | { op: 'tm-remove-destination'; id: string; label: string }
  | { op: 'tm-set-quota'; match: DestinationMatch; gb: number; label: string };

export const TIME_MACHINE_OPS = ['tm-add-destination', 'tm-remove-destination', 'tm-set-quota'] as const satisfies readonly TimeMachineStep['op'][];
