package dev.gantry.content;

/**
 * A content-addressed blob store. Vocabulary: a <em>blob</em> is committed content named by its
 * digest; an <em>ingest</em> is content being written under a <em>ref</em>; nothing becomes a
 * blob before its digest is verified. Callers should depend on the narrowest of
 * {@link Provider}, {@link Ingester} and {@link Manager} they need.
 */
public interface ContentStore extends Provider, Ingester, Manager {
}
