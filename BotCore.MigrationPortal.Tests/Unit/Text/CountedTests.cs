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

/// <summary>A sentence inside another loses its final period, which the outer sentence owns.</summary>
public sealed class ClauseTests
{
    [Theory]
    [InlineData("The disk is full.", "The disk is full")]
    [InlineData("The disk is full. ", "The disk is full")]
    [InlineData("no period", "no period")]
    [InlineData("wait...", "wait")]
    public void A_clause_has_no_final_period(string sentence, string clause) => Assert.Equal(clause, Clause.Of(sentence));

    [Fact]
    public void A_backup_failure_is_a_clause_so_its_sentence_ends_once() =>
        Assert.Equal("No space left on device", BotCore.MigrationPortal.Backups.BackupFailures.Describe(new IOException("No space left on device."), "dev"));
}
