package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserResolverTest {
    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            # a comment
            app:x:1000:1001:app:/home/app:/bin/sh
            """;
    private static final String GROUP = """
            root:x:0:
            appgrp:x:1001:
            audio:x:29:app,other
            video:x:44:other
            """;

    @Test
    void emptyIsRoot() {
        assertThat(UserResolver.resolve(null, PASSWD, GROUP)).isEqualTo(new UserResolver.Resolved(0, 0, List.of(), "/root"));
    }

    @Test
    void nameResolvesIdsHomeAndSupplementaryGroups() {
        assertThat(UserResolver.resolve("app", PASSWD, GROUP))
                .isEqualTo(new UserResolver.Resolved(1000, 1001, List.of(29L), "/home/app"));
    }

    @Test
    void numericUidNeedNotExist() {
        assertThat(UserResolver.resolve("4242", PASSWD, GROUP)).isEqualTo(new UserResolver.Resolved(4242, 0, List.of(), "/"));
        assertThat(UserResolver.resolve("1000", PASSWD, GROUP).home()).isEqualTo("/home/app");
    }

    @Test
    void groupByNameOrNumber() {
        assertThat(UserResolver.resolve("app:video", PASSWD, GROUP).gid()).isEqualTo(44);
        assertThat(UserResolver.resolve("5:7", PASSWD, GROUP)).isEqualTo(new UserResolver.Resolved(5, 7, List.of(), "/"));
    }

    @Test
    void unknownNamesAreRefused() {
        assertThatThrownBy(() -> UserResolver.resolve("nobody", PASSWD, GROUP)).hasMessageContaining("unable to find user nobody");
        assertThatThrownBy(() -> UserResolver.resolve("app:nogroup", PASSWD, GROUP)).hasMessageContaining("unable to find group");
        assertThatThrownBy(() -> UserResolver.resolve("app", "", "")).hasMessageContaining("unable to find user");
    }
}
