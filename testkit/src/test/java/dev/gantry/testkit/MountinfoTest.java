package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MountinfoTest {
    @Test
    void parsesMountPointsAndUndoesOctalEscapes() {
        String text = """
                22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
                40 22 0:35 / /tmp/a\\040b rw - tmpfs tmpfs rw
                41 22 0:36 / /tmp/back\\134slash rw - tmpfs tmpfs rw
                """;
        assertThat(Mountinfo.mountPoints(text)).containsExactly("/", "/tmp/a b", "/tmp/back\\slash");
    }

    @Test
    void leavesIncompleteEscapesAlone() {
        assertThat(Mountinfo.unescape("/x\\04")).isEqualTo("/x\\04");
    }
}
