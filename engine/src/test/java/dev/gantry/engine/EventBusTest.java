package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventBusTest {
    private static final Duration SHORT = Duration.ofMillis(50);

    @Test
    void subscribersGetLaterEventsInOrderAndSinceReplaysKeptOnes() throws Exception {
        EventBus bus = new EventBus();
        Instant before = Instant.now();
        assertThat(bus.published()).isZero();
        bus.publish("container", "create", "a", Map.of("name", "x"));
        assertThat(bus.published()).isEqualTo(1);
        try (EventBus.Subscription live = bus.subscribe(null)) {
            bus.publish("container", "start", "a", Map.of());
            bus.publish("volume", "create", "v", Map.of());
            Event start = live.next(SHORT);
            Event vol = live.next(SHORT);
            assertThat(start.action()).isEqualTo("start");
            assertThat(vol.type()).isEqualTo("volume");
            assertThat(vol.timeNano()).isGreaterThan(start.timeNano());
            assertThat(live.next(SHORT)).as("nothing more").isNull();
        }
        try (EventBus.Subscription replay = bus.subscribe(before)) {
            assertThat(replay.next(SHORT).action()).isEqualTo("create");
            assertThat(replay.next(SHORT).action()).isEqualTo("start");
            assertThat(replay.next(SHORT).action()).isEqualTo("create");
            assertThat(replay.next(SHORT)).isNull();
        }
    }

    @Test
    void onlyTheLastKeptEventsReplay() throws Exception {
        EventBus bus = new EventBus();
        for (int i = 0; i < EventBus.KEPT + 5; i++) {
            bus.publish("image", "tag", "id" + i, Map.of());
        }
        try (EventBus.Subscription replay = bus.subscribe(Instant.EPOCH)) {
            assertThat(replay.next(SHORT).actorId()).isEqualTo("id5");
        }
    }

    @Test
    void aClosedSubscriptionReceivesNothing() throws Exception {
        EventBus bus = new EventBus();
        EventBus.Subscription s = bus.subscribe(null);
        s.close();
        bus.publish("container", "die", "a", Map.of());
        assertThat(s.next(SHORT)).isNull();
    }
}
