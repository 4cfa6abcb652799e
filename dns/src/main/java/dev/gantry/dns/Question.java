package dev.gantry.dns;

/** One entry of the question section: a name in the {@link NameTable} notation (no trailing dot), a type and a class. */
record Question(String name, int type, int questionClass) {

    /** Same question, comparing names case-insensitively as RFC 4343 requires (ASCII only). */
    boolean sameAs(Question other) {
        return type == other.type && questionClass == other.questionClass && name.equalsIgnoreCase(other.name);
    }
}
