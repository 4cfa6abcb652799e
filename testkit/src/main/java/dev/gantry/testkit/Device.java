package dev.gantry.testkit;

/** One {@code linux.devices} entry; {@code type} is "c", "b", "u" or "p". */
public record Device(String path, String type, long major, long minor, Integer fileMode, Integer uid, Integer gid) {
    public static Device character(String path, long major, long minor, int fileMode) {
        return new Device(path, "c", major, minor, fileMode, 0, 0);
    }
}
