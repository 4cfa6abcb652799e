package dev.gantry.sys;

/**
 * What the kernel tells the holder of a pidfd about the end of its process
 * ({@link Syscalls#pidfdExit}): the exit status once the process has been reaped, by
 * whichever process was its parent. Only a parent can wait(2) for a process; since Linux
 * 6.15 the kernel also keeps the status for every pidfd opened before the reap.
 */
public sealed interface PidfdExit {
    /** The process was reaped; its status as waitid(2) reported it to the reaper. */
    record Known(ExitStatus status) implements PidfdExit {}

    /** The process runs, or has exited and waits as a zombie for its parent to reap it: ask again later. */
    record NotYet() implements PidfdExit {}

    /** The kernel keeps no exit status for pidfds (before Linux 6.15): it is lost with the reap. */
    record Unknown() implements PidfdExit {}
}
