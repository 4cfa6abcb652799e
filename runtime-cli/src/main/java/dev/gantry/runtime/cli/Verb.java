package dev.gantry.runtime.cli;

import java.util.List;

/** One gantry-runc command: its name, help, options, and what it does. */
interface Verb {
    String name();

    /** One line for the command list. */
    String summary();

    /** The argument synopsis after the name, e.g. "[options] <container-id>". */
    String synopsis();

    List<Args.Opt> options();

    /** Runs the command; returns the exit code. */
    int run(GantryRunc app, Args args) throws Exception;
}
