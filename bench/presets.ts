/**
 * The backup trees the benchmarks move. Sizes follow real backups (platform-facts.md): a real
 * iPad backup held 101,018 files in 3.4 GiB, which is the `many` preset. `files` counts every
 * regular file (the four top-level files of each device included); `bytes` is the target total,
 * met to within a few per cent (the sizes are drawn at random).
 */

export interface DeviceShape {
  /** Modern UDIDs (2018 on) are 8 + 16 hex digits with a dash; older ones 40 hex digits. */
  udid: 'modern' | 'legacy';
  name: string;
  productType: string;
  /** This device's share of the preset's files and bytes. */
  share: number;
}

export interface Preset {
  name: string;
  files: number;
  bytes: number;
  /** How many files of 5 to 200 MiB (videos), and the share of the bytes they carry together. */
  bigFiles: number;
  bigShare: number;
  devices: DeviceShape[];
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const phoneAndPad: DeviceShape[] = [
  { udid: 'modern', name: "Alex's iPhone", productType: 'iPhone14,5', share: 0.6 },
  { udid: 'legacy', name: "Alex's iPad", productType: 'iPad7,5', share: 0.4 },
];

export const PRESETS: Record<string, Preset> = {
  small: { name: 'small', files: 2_000, bytes: 200 * MiB, bigFiles: 3, bigShare: 0.5, devices: phoneAndPad },
  large: { name: 'large', files: 20_000, bytes: 2 * GiB, bigFiles: 12, bigShare: 0.5, devices: phoneAndPad },
  many: {
    name: 'many',
    files: 100_000,
    bytes: Math.round(3.4 * GiB),
    bigFiles: 8,
    bigShare: 0.25,
    devices: [{ udid: 'legacy', name: "Alex's iPad", productType: 'iPad8,1', share: 1 }],
  },
};

export function presetNamed(name: string): Preset {
  const preset = PRESETS[name];
  if (preset === undefined) throw new Error(`unknown preset ${name}: choose ${Object.keys(PRESETS).join(', ')}`);
  return preset;
}
