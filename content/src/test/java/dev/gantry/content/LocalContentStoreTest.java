package dev.gantry.content;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class LocalContentStoreTest extends ContentStoreContract {
    @TempDir
    Path root;
    private LocalContentStore store;

    @BeforeEach
    void open() {
        store = new LocalContentStore(root);
    }

    @Override
    protected ContentStore store() {
        return store;
    }
}
