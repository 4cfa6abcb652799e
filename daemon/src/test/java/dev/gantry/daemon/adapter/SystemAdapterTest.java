package dev.gantry.daemon.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.docker.model.EventMessage;
import dev.gantry.engine.EventBus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemAdapterTest {
    @Test
    void anUntilAlreadyPassedStillReplaysTheEventsBeforeIt() throws Exception {
        EventBus bus = new EventBus();
        Instant since = Instant.now();
        bus.publish("container", "create", "c1", Map.of("name", "a"));
        bus.publish("volume", "create", "v1", Map.of());
        bus.publish("container", "destroy", "c1", Map.of("name", "a"));
        Instant until = Instant.now();
        Thread.sleep(5);
        bus.publish("container", "create", "c2", Map.of("name", "later"));
        List<String> seen = new ArrayList<>();
        long start = System.nanoTime();
        try (EventBus.Subscription sub = bus.subscribe(since)) {
            SystemAdapter.stream(sub, until, e -> e.type().equals("container"), m -> seen.add(m.action() + " " + m.id()));
        }
        assertThat(seen).containsExactly("create c1", "destroy c1");
        assertThat(System.nanoTime() - start).as("returns at once: the end is in the past").isLessThan(500_000_000L);
    }

    @Test
    void aFutureUntilFollowsLiveEventsAndEndsWhenItPasses() throws Exception {
        EventBus bus = new EventBus();
        Instant until = Instant.now().plusMillis(300);
        List<EventMessage> seen = new ArrayList<>();
        try (EventBus.Subscription sub = bus.subscribe(null)) {
            Thread publisher = Thread.ofVirtual().start(() -> bus.publish("image", "tag", "i1", Map.of()));
            SystemAdapter.stream(sub, until, e -> true, seen::add);
            publisher.join();
        }
        assertThat(seen).extracting(EventMessage::action).containsExactly("tag");
        assertThat(Instant.now()).isAfterOrEqualTo(until);
    }

    @Test
    void anUntilPastTheYear2262StillFollowsTheStream() throws Exception {
        EventBus bus = new EventBus();
        bus.publish("volume", "create", "v1", Map.of());
        List<String> seen = new ArrayList<>();
        try (EventBus.Subscription sub = bus.subscribe(Instant.EPOCH)) {
            Thread streamer = Thread.ofPlatform().start(() -> {
                try {
                    SystemAdapter.stream(sub, Instant.parse("3000-01-01T00:00:00Z"), e -> true, m -> seen.add(m.action()));
                } catch (Exception e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(300);
            assertThat(streamer.isAlive()).as("still following").isTrue();
            streamer.interrupt();
            streamer.join(5000);
        }
        assertThat(seen).containsExactly("create");
    }
}
