package dev.gantry.cgroups;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes one cgroup interface file, turning the kernel's refusal into a
 * {@link GantryException} that names the OCI field, the file and the host's reason.
 *
 * <p>Every write is a single {@code write(2)} of the whole value on a fresh open file:
 * cgroupfs parses each write separately, so a value must never be split, and files such as
 * {@code devices.allow} or {@code io.max} take exactly one rule per write. Files are never
 * created: a missing file means the host lacks the controller or the knob, which is exactly
 * what the caller must be told.
 */
public final class CgroupFile {
    private CgroupFile() {
    }

    /** Writes {@code value} to {@code dir/file}; {@code field} is the OCI field it came from. */
    public static void write(Path dir, String file, String value, String field) {
        Path path = dir.resolve(file);
        try {
            Files.write(path, value.getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE,
                    field + ": the host has no " + path + " (controller or knob missing)", e);
        } catch (AccessDeniedException e) {
            throw new GantryException(ErrorKind.PERMISSION_DENIED,
                    field + ": writing \"" + value + "\" to " + path + ": permission denied", e);
        } catch (IOException e) {
            throw new GantryException(kindOf(e), field + ": the kernel refused \"" + value
                    + "\" in " + path + ": " + reason(e), e);
        }
    }

    /** Whether {@code dir/file} exists: used to pick between files that differ by kernel. */
    public static boolean exists(Path dir, String file) {
        return Files.exists(dir.resolve(file));
    }

    /** Reads the whole file, trimmed. */
    public static String read(Path dir, String file) {
        Path path = dir.resolve(file);
        try {
            return Files.readString(path, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new GantryException(ErrorKind.NOT_FOUND, "no cgroup file " + path, e);
        } catch (IOException e) {
            throw new GantryException(kindOf(e), "reading " + path + ": " + reason(e), e);
        }
    }

    /** Reads the file if it exists; the host may lack it (older kernels, missing controller). */
    public static Optional<String> readIfPresent(Path dir, String file) {
        return exists(dir, file) ? Optional.of(read(dir, file)) : Optional.empty();
    }

    /**
     * Reads a number; {@code max} (v2) reads as {@link Long#MAX_VALUE}, as does v1's
     * "unlimited" which the kernel prints as a page-rounded {@code LONG_MAX}.
     */
    public static long readLong(Path dir, String file) {
        return parseLong(read(dir, file), dir.resolve(file));
    }

    /** Reads a flat keyed file ("key value" per line: memory.stat, cpu.stat, cgroup.events). */
    public static Map<String, Long> readKeyed(Path dir, String file) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : read(dir, file).split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2) {
                values.put(parts[0], parseLong(parts[1], dir.resolve(file)));
            }
        }
        return values;
    }

    static long parseLong(String text, Path source) {
        if (text.equals("max")) {
            return Long.MAX_VALUE;
        }
        try {
            if (text.startsWith("-")) {
                return Long.parseLong(text);
            }
            long value = Long.parseUnsignedLong(text);
            return value < 0 ? Long.MAX_VALUE : value;
        } catch (NumberFormatException e) {
            throw new GantryException(ErrorKind.INTERNAL, "unexpected value \"" + text + "\" in " + source, e);
        }
    }

    private static ErrorKind kindOf(IOException e) {
        String reason = reason(e);
        if (reason.contains("Invalid argument") || reason.contains("Numerical result out of range")) {
            return ErrorKind.INVALID_ARGUMENT;
        }
        if (reason.contains("Operation not permitted") || reason.contains("Permission denied")) {
            return ErrorKind.PERMISSION_DENIED;
        }
        return ErrorKind.UNAVAILABLE;
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
