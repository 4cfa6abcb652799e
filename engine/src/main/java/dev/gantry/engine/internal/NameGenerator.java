package dev.gantry.engine.internal;

import java.security.SecureRandom;
import java.util.List;
import java.util.function.Predicate;

/**
 * Generated container names: {@code adjective_surname}, the surname of a scientist or
 * engineer. A name that is taken is retried; after a few collisions a random digit is
 * appended, so generation always ends.
 */
public final class NameGenerator {
    private static final List<String> ADJECTIVES = List.of(
            "agile", "amber", "bold", "brave", "bright", "calm", "clever", "cosmic", "crisp", "curious",
            "daring", "eager", "earnest", "fearless", "festive", "gentle", "glad", "golden", "happy", "humble",
            "jolly", "keen", "kind", "lively", "lucid", "mellow", "merry", "nimble", "noble", "patient",
            "placid", "quiet", "quick", "radiant", "serene", "sharp", "steady", "sunny", "swift", "tender",
            "tidy", "upbeat", "vivid", "warm", "wise", "witty", "zealous", "zen");
    private static final List<String> SURNAMES = List.of(
            "agnesi", "babbage", "bohr", "boole", "cannon", "curie", "darwin", "dijkstra", "euler", "faraday",
            "fermi", "feynman", "franklin", "galois", "gauss", "goodall", "hamilton", "hopper", "hypatia", "jemison",
            "johnson", "kepler", "knuth", "kovalevskaya", "lamarr", "leavitt", "liskov", "lovelace", "maxwell", "meitner",
            "mendel", "mirzakhani", "newton", "noether", "pascal", "planck", "ramanujan", "ritchie", "sagan", "shannon",
            "somerville", "tesla", "thompson", "turing", "volta", "wiles", "wu", "yalow");
    private static final int PLAIN_TRIES = 10;

    private final SecureRandom random = new SecureRandom();

    /** A name for which {@code taken} is false. */
    public String generate(Predicate<String> taken) {
        for (int attempt = 0; ; attempt++) {
            String name = ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_"
                    + SURNAMES.get(random.nextInt(SURNAMES.size()));
            if (attempt >= PLAIN_TRIES) {
                name += random.nextInt(10);
            }
            if (!taken.test(name)) {
                return name;
            }
        }
    }
}
