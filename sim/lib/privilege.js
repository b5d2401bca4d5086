// Who the simulated tool believes is running it. Real scutil --set (and later tmutil
// setdestination) need root; tests run both as root (containers) and not, so the uid can be
// pinned with PROVISION_SIM_UID to exercise both paths anywhere.

/** The effective uid the simulator acts as: PROVISION_SIM_UID when set, else the process's own. */
export function effectiveUid() {
  const pinned = process.env.PROVISION_SIM_UID;
  if (pinned !== undefined && pinned !== '') {
    const uid = Number(pinned);
    if (!Number.isInteger(uid) || uid < 0) {
      throw new Error(`PROVISION_SIM_UID must be a non-negative integer, got ${JSON.stringify(pinned)}`);
    }
    return uid;
  }
  // process.getuid is absent on Windows; treat that as a normal user.
  return typeof process.getuid === 'function' ? process.getuid() : 1000;
}

export function isRoot() {
  return effectiveUid() === 0;
}
