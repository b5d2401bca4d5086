/**
 * Switches in a new provision.conf for Samba: written beside the old one, checked with testparm
 * as smb.conf would include it, renamed into place, then smb.conf gets its include line (once)
 * and a running smbd reloads.
 */
export type SambaConfigStep = {
  op: 'samba-config';
  conf: string;
  /** The same file as the machine sees it: what smb.conf's include line names. */
  confMachine: string;
  content: string;
  smbConf: string;
  reload: boolean;
};
