using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Tests.Unit.Text;

/// <summary>Counts in words: one is singular, anything else plural, irregular plurals given; never "(s)".</summary>
public sealed class CountedTests
{
    [Theory]
    [InlineData(0, "line", null, "0 lines")]
    [InlineData(1, "line", null, "1 line")]
    [InlineData(3, "line", null, "3 lines")]
    [InlineData(1, "difference", null, "1 difference")]
    [InlineData(2, "blocking difference", null, "2 blocking differences")]
    [InlineData(1204, "document", null, "1,204 documents")]
    [InlineData(1, "batch", "batches", "1 batch")]
    [InlineData(2, "batch", "batches", "2 batches")]
    public void Of_counts_in_the_singular_only_for_one(long count, string one, string? many, string expected) =>
        Assert.Equal(expected, Counted.Of(count, one, many));

    [Fact]
    public void Pick_gives_the_word_that_agrees_with_the_count()
    {
        Assert.Equal("has", Counted.Pick(1, "has", "have"));
        Assert.Equal("have", Counted.Pick(0, "has", "have"));
        Assert.Equal("are", Counted.Pick(5, "is", "are"));
    }
}
