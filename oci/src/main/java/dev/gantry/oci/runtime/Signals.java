package dev.gantry.oci.runtime;

import dev.gantry.base.GantryException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Signal names and numbers for Linux on x86_64 (signal(7)), as {@code runc kill} accepts them:
 * "KILL", "SIGKILL", "sigkill", "9", and the real-time signals "RTMIN", "RTMIN+3", "RTMAX-2".
 * RTMIN is 34, not the kernel's 32: glibc reserves 32 and 33 for itself, and runc follows glibc.
 */
public final class Signals {
    /** First real-time signal usable by applications (glibc's SIGRTMIN). */
    public static final int RTMIN = 34;
    /** Last real-time signal (_NSIG - 1). */
    public static final int RTMAX = 64;

    private static final Map<String, Integer> BY_NAME = new LinkedHashMap<>();

    static {
        String[] names = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
            "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
            "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
        for (int number = 1; number < names.length; number++) {
            BY_NAME.put(names[number], number);
        }
        // Aliases glibc's <signal.h> defines.
        BY_NAME.put("IOT", 6);
        BY_NAME.put("CLD", 17);
        BY_NAME.put("POLL", 29);
        BY_NAME.put("UNUSED", 31);
    }

    private Signals() {
    }

    /** The signal number for a name or number; INVALID_ARGUMENT naming the input otherwise. */
    public static int parse(String signal) {
        if (signal == null || signal.isBlank()) {
            throw GantryException.invalid("signal: must not be empty");
        }
        String text = signal.trim();
        if (text.chars().allMatch(Character::isDigit)) {
            int number;
            try {
                number = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw invalid(signal);
            }
            if (number < 1 || number > RTMAX) {
                throw GantryException.invalid("signal: " + signal + " is out of range 1.." + RTMAX);
            }
            return number;
        }
        String name = text.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        Integer number = BY_NAME.get(name);
        if (number != null) {
            return number;
        }
        return realtime(name, signal);
    }

    /** The canonical name ("SIGKILL", "SIGRTMIN+2") of a signal number. */
    public static String name(int number) {
        for (Map.Entry<String, Integer> entry : BY_NAME.entrySet()) {
            if (entry.getValue() == number) {
                return "SIG" + entry.getKey();
            }
        }
        if (number == RTMIN) {
            return "SIGRTMIN";
        }
        if (number == RTMAX) {
            return "SIGRTMAX";
        }
        if (number > RTMIN && number < RTMAX) {
            return number - RTMIN <= RTMAX - number ? "SIGRTMIN+" + (number - RTMIN) : "SIGRTMAX-" + (RTMAX - number);
        }
        throw GantryException.invalid("signal: " + number + " is not a signal number");
    }

    private static int realtime(String name, String original) {
        int base;
        String rest;
        if (name.startsWith("RTMIN")) {
            base = RTMIN;
            rest = name.substring(5);
        } else if (name.startsWith("RTMAX")) {
            base = RTMAX;
            rest = name.substring(5);
        } else {
            throw invalid(original);
        }
        if (rest.isEmpty()) {
            return base;
        }
        char sign = rest.charAt(0);
        String digits = rest.substring(1);
        if ((sign != '+' && sign != '-') || digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)
                || digits.length() > 2) {
            throw invalid(original);
        }
        int number = base + (sign == '+' ? 1 : -1) * Integer.parseInt(digits);
        if (number < RTMIN || number > RTMAX) {
            throw GantryException.invalid("signal: " + original + " is outside SIGRTMIN..SIGRTMAX");
        }
        return number;
    }

    private static GantryException invalid(String signal) {
        return GantryException.invalid("signal: unknown signal \"" + signal + "\"");
    }
}
