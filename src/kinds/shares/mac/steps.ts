/** File Sharing's own steps: share a folder, set it to SMB without guests, offer it to Time Machine. */
export type MacShareStep =
  | { op: 'mac-share-add'; name: string; path: string }
  | { op: 'mac-share-edit'; name: string; path: string }
  | { op: 'mac-share-timemachine'; name: string; quotaBytes?: number };

export const MAC_SHARE_OPS = ['mac-share-add', 'mac-share-edit', 'mac-share-timemachine'] as const satisfies readonly MacShareStep['op'][];
