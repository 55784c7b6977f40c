using BotCore.MigrationPortal.Audit;

namespace BotCore.MigrationPortal.Tests.Unit.Audit;

public sealed class AuditChainTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Task<AuditChainReport> Verify(IEnumerable<AuditEntry> entries) => AuditChain.VerifyAsync(entries.ToAsyncEnumerable(), Token);

    [Fact]
    public async Task An_untouched_chain_is_intact_with_its_entry_count()
    {
        var report = await Verify(AuditTestData.Chain(10));

        Assert.True(report.Intact);
        Assert.Null(report.FirstBreak);
        Assert.Equal(10, report.EntriesChecked);
        Assert.Equal("Chain intact, 10 entries.", report.Summary);
    }

    [Fact]
    public async Task A_single_entry_is_counted_in_the_singular()
    {
        Assert.Equal("Chain intact, 1 entry.", (await Verify(AuditTestData.Chain(1))).Summary);
    }

    [Fact]
    public async Task An_empty_log_is_intact_with_no_entries()
    {
        var report = await Verify([]);

        Assert.True(report.Intact);
        Assert.Equal("Chain intact, 0 entries.", report.Summary);
    }

    [Theory]
    [InlineData("details")]
    [InlineData("user")]
    [InlineData("target")]
    [InlineData("time")]
    public async Task An_edited_entry_is_reported_at_its_sequence_number_and_time(string field)
    {
        var entries = AuditTestData.Chain(10).ToList();
        var original = entries[4];
        entries[4] = field switch
        {
            "details" => original with { Details = "nothing to see here" },
            "user" => original with { User = "mallory" },
            "target" => original with { Target = null },
            _ => original with { Time = original.Time.AddSeconds(-30) },
        };

        var report = await Verify(entries);

        var broken = Assert.IsType<AuditChainBreak>(report.FirstBreak);
        Assert.Equal(AuditBreakKind.Edited, broken.Kind);
        Assert.Equal(5, broken.Sequence);
        Assert.Equal(entries[4].Time, broken.Time);
        Assert.Equal(4, report.EntriesChecked);
        Assert.StartsWith($"Chain broken at entry #5 ({AuditHash.FormatTime(entries[4].Time)}): the entry was edited", report.Summary);
    }

    [Fact]
    public async Task A_deleted_entry_is_reported_as_missing_where_the_sequence_jumps()
    {
        var entries = AuditTestData.Chain(10).ToList();
        entries.RemoveAt(6);

        var report = await Verify(entries);

        var broken = Assert.IsType<AuditChainBreak>(report.FirstBreak);
        Assert.Equal(AuditBreakKind.Missing, broken.Kind);
        Assert.Equal(8, broken.Sequence);
        Assert.Equal(entries[6].Time, broken.Time);
        Assert.Contains("entry #7 is missing (deleted) after entry #6", broken.Description);
    }

    [Fact]
    public async Task Several_deleted_entries_are_reported_as_a_range()
    {
        var entries = AuditTestData.Chain(10).ToList();
        entries.RemoveRange(3, 3);

        var broken = (await Verify(entries)).FirstBreak!;

        Assert.Equal(AuditBreakKind.Missing, broken.Kind);
        Assert.Equal(7, broken.Sequence);
        Assert.Contains("entries #4 to #6 are missing", broken.Description);
    }

    [Fact]
    public async Task Deleting_the_first_entries_is_detected()
    {
        var report = await Verify(AuditTestData.Chain(5).Skip(2));

        Assert.Equal(AuditBreakKind.Missing, report.FirstBreak!.Kind);
        Assert.Equal(3, report.FirstBreak.Sequence);
        Assert.Contains("entries #1 to #2 are missing (deleted) at the start of the log", report.FirstBreak.Description);
    }

    [Fact]
    public async Task A_forged_entry_with_a_recomputed_hash_is_caught_where_its_successor_no_longer_links()
    {
        var entries = AuditTestData.Chain(10).ToList();
        var forged = entries[4] with { Details = "approved by the book" };
        entries[4] = forged with { Hash = AuditHash.Of(forged) };

        var report = await Verify(entries);

        var broken = Assert.IsType<AuditChainBreak>(report.FirstBreak);
        Assert.Equal(AuditBreakKind.Unlinked, broken.Kind);
        Assert.Equal(6, broken.Sequence);
        Assert.Equal(entries[5].Time, broken.Time);
        Assert.Contains("link to entry #5 does not match", broken.Description);
    }

    [Fact]
    public async Task A_deleted_entry_hidden_by_renumbering_the_rest_is_caught_by_the_link()
    {
        var entries = AuditTestData.Chain(6).ToList();
        entries.RemoveAt(2);
        for (var i = 2; i < entries.Count; i++)
        {
            var renumbered = entries[i] with { Sequence = i + 1 };
            entries[i] = renumbered with { Hash = AuditHash.Of(renumbered) };
        }

        var broken = (await Verify(entries)).FirstBreak!;

        Assert.Equal(AuditBreakKind.Unlinked, broken.Kind);
        Assert.Equal(3, broken.Sequence);
    }

    [Fact]
    public async Task A_replayed_entry_is_out_of_order()
    {
        var entries = AuditTestData.Chain(5).ToList();
        entries.Insert(3, entries[1]);

        var broken = (await Verify(entries)).FirstBreak!;

        Assert.Equal(AuditBreakKind.OutOfOrder, broken.Kind);
        Assert.Equal(2, broken.Sequence);
        Assert.Contains("entry #4 was expected but #2 came", broken.Description);
    }

    [Fact]
    public async Task The_first_break_is_reported_even_when_later_entries_are_broken_too()
    {
        var entries = AuditTestData.Chain(10).ToList();
        entries[7] = entries[7] with { Details = "later edit" };
        entries[2] = entries[2] with { Details = "earlier edit" };

        Assert.Equal(3, (await Verify(entries)).FirstBreak!.Sequence);
    }

    [Fact]
    public async Task A_hundred_thousand_entries_are_verified_as_a_stream()
    {
        // The chain is generated lazily and never held as a whole: the verifier keeps only the previous entry.
        var report = await Verify(AuditTestData.Chain(100_000, TimeSpan.FromSeconds(1)));

        Assert.True(report.Intact);
        Assert.Equal(100_000, report.EntriesChecked);
    }

    [Fact]
    public async Task Verification_observes_cancellation()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AuditChain.VerifyAsync(AuditTestData.Chain(10).ToAsyncEnumerable(), cancel.Token));
    }
}
