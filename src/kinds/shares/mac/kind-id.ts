/** The File Sharing flavour of shared folders: its id in plans and status (was "shares" in format 1). */
export const MAC_SHARES_KIND = 'mac-shares';
