import { errnoCode } from '../../errors.js';

/**
 * Whether a process with this id exists on this computer. Signal 0 checks without sending
 * anything (on Windows too, where Node emulates it). EPERM means it exists but belongs to
 * another user (a root apply seen from a user's run): alive. Only ESRCH proves it is gone;
 * any other failure counts as alive, because calling a live holder dead would let two applies
 * run at once, while the opposite only makes the user wait or remove a file.
 *
 * A reused pid (the holder died, an unrelated process got its number) looks alive: the lock's
 * error message names the pid and the file to remove for that case.
 */
export function isProcessAlive(pid: number): boolean {
  // 0 and negative numbers address process groups, not a process: never "alive" by accident.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) !== 'ESRCH';
  }
}
