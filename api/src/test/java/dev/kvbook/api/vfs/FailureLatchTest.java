package dev.kvbook.api.vfs;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.StoreFailedException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailureLatchTest {

    private final FailureLatch latch = new FailureLatch("/data/store");

    private static UncheckedIOException diskError() {
        return new UncheckedIOException(new IOException("injected: the disk said no"));
    }

    @Test
    void aNewLatchIsNotSetAndCheckPasses() {
        assertThat(latch.isSet()).isFalse();
        assertThatCode(latch::check).doesNotThrowAnyException();
    }

    @Test
    void failReturnsAnExceptionNamingTheStoreAndTheStepCausedByTheError() {
        UncheckedIOException error = diskError();
        StoreFailedException failed = latch.fail(error, "syncing the log");
        assertThat(failed).hasCause(error).hasMessageStartingWith("/data/store: syncing the log failed")
                .hasMessageContaining("refuses writes").hasMessageContaining("reopen");
        assertThat(latch.isSet()).isTrue();
    }

    @Test
    void everyCheckAfterAFailureThrowsStoreFailedCausedByIt() {
        StoreFailedException failed = latch.fail(diskError(), "appending to the log");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(latch::check).isInstanceOf(StoreFailedException.class).hasCause(failed)
                    .hasMessage(failed.getMessage());
        }
    }

    @Test
    void theLatchNeverClears() {
        latch.fail(diskError(), "a write");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(latch::check).isInstanceOf(StoreFailedException.class);
            assertThat(latch.isSet()).isTrue();
        }
    }

    @Test
    void setRecordsAnyFailureAsItIsAndCheckWrapsIt() {
        CorruptionException damage = new CorruptionException(Path.of("/data/store"), 8, "checksum", 1, 2);
        assertThat(latch.set(damage)).isSameAs(damage);
        assertThatThrownBy(latch::check).isInstanceOf(StoreFailedException.class).hasCause(damage)
                .hasMessageContaining("/data/store").hasMessageContaining("refuses writes");
    }

    @Test
    void aLaterFailureReplacesTheEarlierButTheLatchStaysSet() {
        latch.fail(diskError(), "the first write");
        StoreFailedException second = latch.fail(diskError(), "the second write");
        assertThatThrownBy(latch::check).hasCause(second);
    }
}
