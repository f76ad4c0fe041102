package vn.truc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BenchLoadTest {
    @Test
    void percentileIsTheNearestRank() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(BenchLoad.percentile(sorted, 0.50)).isEqualTo(5);
        assertThat(BenchLoad.percentile(sorted, 0.99)).isEqualTo(10);
        assertThat(BenchLoad.percentile(new long[] {7}, 0.99)).isEqualTo(7);
        assertThat(BenchLoad.percentile(new long[0], 0.5)).isZero();
    }

    @Test
    void aRequestCountIsSharedByAllClientsAndFailuresAreCountedApart() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BenchLoad.Result result = BenchLoad.run(4, Duration.ofMinutes(1), 100, () -> {
            if (calls.incrementAndGet() % 10 == 0) {
                throw new IllegalStateException("every tenth call fails");
            }
        });
        assertThat(calls.get()).isEqualTo(100);
        assertThat(result.requests()).isEqualTo(100);
        assertThat(result.errors()).isEqualTo(10);
        assertThat(result.errorSamples()).isNotEmpty().allSatisfy(s -> assertThat(s)
                .contains("every tenth"));
        assertThat(result.maxMs()).isGreaterThanOrEqualTo(result.p99Ms());
    }

    @Test
    void durationsReadAsOperatorsWriteThem() {
        var converter = new BenchCommand.DurationConverter();
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("2.5s")).isEqualTo(Duration.ofMillis(2500));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("PT3S")).isEqualTo(Duration.ofSeconds(3));
    }
}
