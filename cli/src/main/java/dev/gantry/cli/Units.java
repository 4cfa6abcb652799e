package dev.gantry.cli;

import java.util.Locale;

/**
 * The value syntaxes docker's flags use: byte sizes with binary suffixes ({@code 64m},
 * {@code 1.5g}, as go-units' RAMInBytes reads them), Go durations ({@code 1m30s},
 * {@code 500ms}) and decimal CPU counts.
 */
final class Units {
    private Units() {}

    /** {@code 64m} → 67108864; the suffix b/k/m/g/t/p (with an optional trailing b or ib) is binary. */
    static long bytes(String flag, String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("b") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        long multiplier = 1;
        if (!s.isEmpty()) {
            int shift = switch (s.charAt(s.length() - 1)) {
                case 'b' -> 0;
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                case 't' -> 40;
                case 'p' -> 50;
                default -> -1;
            };
            if (shift >= 0) {
                multiplier = 1L << shift;
                s = s.substring(0, s.length() - 1);
            }
        }
        try {
            double v = Double.parseDouble(s);
            if (v < 0 || s.isEmpty()) {
                throw new NumberFormatException();
            }
            return (long) (v * multiplier);
        } catch (NumberFormatException e) {
            throw new UsageException("invalid argument \"" + text + "\" for \"--" + flag + "\" flag: expected a size such as 64m or 1g");
        }
    }

    /** A Go duration ({@code 300ms}, {@code 1.5h}, {@code 2m30s}) in nanoseconds. */
    static long durationNanos(String flag, String text) {
        String s = text.trim();
        if (s.equals("0")) {
            return 0;
        }
        long total = 0;
        int i = 0;
        boolean any = false;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i)) || (i < s.length() && s.charAt(i) == 'µ')) {
                i++;
            }
            if (start == unitStart || unitStart == i) {
                throw new UsageException("invalid argument \"" + text + "\" for \"--" + flag + "\" flag: expected a duration such as 30s or 1m30s");
            }
            double n = Double.parseDouble(s.substring(start, unitStart));
            long unit = switch (s.substring(unitStart, i)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new UsageException("invalid argument \"" + text + "\" for \"--" + flag + "\" flag: unknown unit " + s.substring(unitStart, i));
            };
            total += (long) (n * unit);
            any = true;
        }
        if (!any) {
            throw new UsageException("invalid argument \"" + text + "\" for \"--" + flag + "\" flag: expected a duration such as 30s");
        }
        return total;
    }

    /** {@code 1.5} CPUs → 1500000000 nano-CPUs. */
    static long nanoCpus(String text) {
        try {
            return Math.round(Double.parseDouble(text.trim()) * 1e9);
        } catch (NumberFormatException e) {
            throw new UsageException("invalid argument \"" + text + "\" for \"--cpus\" flag: expected a number such as 0.5");
        }
    }

    /** Bytes as docker's go-units HumanSize prints them (decimal: kB, MB, GB), three significant digits. */
    static String humanSize(double bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        int i = 0;
        while (bytes >= 1000 && i < units.length - 1) {
            bytes /= 1000;
            i++;
        }
        return formatSignificant(bytes) + units[i];
    }

    /** Bytes as BytesSize prints them (binary: KiB, MiB, GiB), as stats and memory limits show. */
    static String binarySize(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int i = 0;
        while (bytes >= 1024 && i < units.length - 1) {
            bytes /= 1024;
            i++;
        }
        return formatSignificant(bytes) + units[i];
    }

    /** Go's %.4g: at most four significant digits, no trailing zeros. */
    private static String formatSignificant(double v) {
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        return s;
    }

    /** "3 seconds", "About a minute", "2 hours" — go-units HumanDuration, as docker's Status and CREATED columns print. */
    static String humanDuration(long seconds) {
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = seconds / 60;
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(seconds / 3600.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return hours / 24 / 365 + " years";
    }
}
