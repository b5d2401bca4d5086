/** The Samba flavour of shared folders: its id in plans and status (was "shares" in format 1). */
export const SAMBA_KIND = 'samba';
