package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleCollectorTest {
    /** A heap that grows when told and shrinks to its floor at each collection. */
    private static final class FakeJvm implements IdleCollector.Jvm {
        long committed = 10;
        int collections;

        @Override
        public long committedHeap() {
            return committed;
        }

        @Override
        public void collect() {
            collections++;
            committed = 10;
        }
    }

    @Test
    void collectsOnceAfterABurstWhenAPeriodPassesWithoutEvents() {
        AtomicLong events = new AtomicLong();
        FakeJvm jvm = new FakeJvm();
        IdleCollector idle = new IdleCollector(events::get, jvm);

        assertThat(idle.check()).as("idle, but the heap has not grown").isFalse();
        events.addAndGet(40);
        jvm.committed = 50;
        assertThat(idle.check()).as("the burst is still going").isFalse();
        assertThat(idle.check()).as("a quiet period after the burst").isTrue();
        assertThat(jvm.collections).isEqualTo(1);
        assertThat(idle.check()).as("nothing grew since").isFalse();
        assertThat(jvm.collections).isEqualTo(1);
    }

    @Test
    void neverCollectsWhileEventsKeepComing() {
        AtomicLong events = new AtomicLong();
        FakeJvm jvm = new FakeJvm();
        IdleCollector idle = new IdleCollector(events::get, jvm);
        for (int i = 0; i < 5; i++) {
            events.incrementAndGet();
            jvm.committed += 10;
            assertThat(idle.check()).isFalse();
        }
        assertThat(jvm.collections).isZero();
    }
}
