package dev.gantry.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Table alignment as docker's tabwriter (minwidth 10, padding 3) prints it. */
class ColumnsTest {
    @Test
    void psTableLikeDocker() {
        String text = "CONTAINER ID\tIMAGE\tNAMES\n4f66ad9a0b2e\tbusybox\tweb\n1c2d\tnginx:1.27-alpine\tdb\n";
        assertThat(Columns.align(text)).isEqualTo("""
                CONTAINER ID   IMAGE               NAMES
                4f66ad9a0b2e   busybox             web
                1c2d           nginx:1.27-alpine   db
                """);
    }

    @Test
    void narrowColumnsGetTheMinimumWidth() {
        assertThat(Columns.align("A\tB\nx\ty\n")).isEqualTo("A         B\nx         y\n");
    }

    @Test
    void theTextAfterTheLastTabIsNotPadded() {
        assertThat(Columns.align("a\tlast   \n")).isEqualTo("a         last   \n");
        assertThat(Columns.align("a\t\n")).isEqualTo("a         \n");
    }

    @Test
    void aLineWithoutTabsEndsTheColumnBlock() {
        String text = "long header cell\tx\nno tabs here\nb\ty\n";
        assertThat(Columns.align(text)).isEqualTo("long header cell   x\nno tabs here\nb         y\n");
    }

    @Test
    void blocksOfLaterColumnsAreMeasuredSeparately() {
        // The second column exists only on the first two lines; the third line's first cell still
        // aligns with them because column 0's block spans all three.
        String text = "a\tbbbbbbbbbbbbbb\tc\naa\tb\tc\naaa\tz\n";
        assertThat(Columns.align(text)).isEqualTo(
                "a         bbbbbbbbbbbbbb   c\naa        b                c\naaa       z\n");
    }

    @Test
    void widthsCountCharactersAndTextWithoutNewlineEndsAsItIs() {
        assertThat(Columns.align("\u00e9t\u00e9\tx\nab\ty")).isEqualTo("\u00e9t\u00e9       x\nab        y");
        assertThat(Columns.align("")).isEmpty();
        assertThat(Columns.align("plain\n")).isEqualTo("plain\n");
    }

    @Test
    void withATemplatePerRowAndAHeaderRow() {
        Template row = Template.parse("{{.ID}}\t{{.Names}}");
        StringBuilder text = new StringBuilder(row.execute(Map.of("ID", "CONTAINER ID", "Names", "NAMES"))).append('\n');
        for (Map<String, Object> c : List.of(Map.<String, Object>of("ID", "4f66ad9a0b2e", "Names", "web"))) {
            text.append(row.execute(c)).append('\n');
        }
        assertThat(Columns.align(text.toString())).isEqualTo("CONTAINER ID   NAMES\n4f66ad9a0b2e   web\n");
    }
}
