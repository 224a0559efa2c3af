package dev.todoke.download;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void parseWhenNoHeaderThenWhole() {
        assertThat(ByteRange.parse(null, 100)).isInstanceOf(ByteRange.Whole.class);
    }

    @Test
    void parseWhenFirstBytesThenThatRange() {
        assertThat(ByteRange.parse("bytes=0-9", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 10)));
    }

    @Test
    void parseWhenMiddleThenThatRange() {
        assertThat(ByteRange.parse("bytes=40-59", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(40, 20)));
    }

    @Test
    void parseWhenOpenEndedThenToTheEnd() {
        assertThat(ByteRange.parse("bytes=90-", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(90, 10)));
    }

    @Test
    void parseWhenEndPastTheSizeThenCutAtTheEnd() {
        assertThat(ByteRange.parse("bytes=90-500", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(90, 10)));
    }

    @Test
    void parseWhenSuffixThenTheLastBytes() {
        assertThat(ByteRange.parse("bytes=-10", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(90, 10)));
        assertThat(ByteRange.parse("bytes=-500", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 100)));
    }

    @Test
    void parseWhenStartPastTheEndThenUnsatisfiable() {
        assertThat(ByteRange.parse("bytes=100-", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.parse("bytes=100-200", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.parse("bytes=-0", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.parse("bytes=0-", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @Test
    void parseWhenSeveralRangesOrOtherUnitsOrGarbageThenWhole() {
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse("items=0-1", 100)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse("bytes=abc", 100)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse("bytes=9-3", 100)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse("bytes=-", 100)).isInstanceOf(ByteRange.Whole.class);
    }

    @Test
    void endWhenRangeThenLastByteInclusive() {
        assertThat(new ByteRange(40, 20).end()).isEqualTo(59);
    }
}
