using BotCore.MigrationPortal.Audit;

namespace BotCore.MigrationPortal.Tests.Unit.Audit;

/// <summary>What every audit store must do, run against each of them (in memory here, MongoDB in the integration tests).</summary>
public abstract class AuditStoreContract
{
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A new, empty store.</summary>
    protected abstract IAuditStore CreateStore();

    /// <summary>A store holding 30 entries, one every 6 hours from <see cref="AuditTestData.Start"/> (8 days).</summary>
    private async Task<(IAuditStore Store, List<AuditEntry> Entries)> Filled(int count = 30)
    {
        var store = CreateStore();
        var entries = AuditTestData.Chain(count, TimeSpan.FromHours(6)).ToList();
        foreach (var entry in entries) Assert.True(await store.TryAppendAsync(entry, Token));
        return (store, entries);
    }

    [Fact]
    public async Task An_empty_store_has_no_last_entry_and_an_empty_page()
    {
        var store = CreateStore();

        Assert.Null(await store.LastAsync(Token));
        var page = await store.QueryAsync(AuditFilter.None, 0, 10, Token);
        Assert.Empty(page.Entries);
        Assert.Equal(0, page.Total);
    }

    [Fact]
    public async Task Entries_read_back_exactly_as_written_so_their_hashes_still_verify()
    {
        var (store, entries) = await Filled(5);

        Assert.Equal(entries[^1], await store.LastAsync(Token));
        Assert.Equal(entries, await store.ReadChainAsync(Token).ToListAsync(Token));
        Assert.True((await AuditChain.VerifyAsync(store.ReadChainAsync(Token), Token)).Intact);
    }

    [Fact]
    public async Task A_taken_sequence_number_is_refused()
    {
        var (store, entries) = await Filled(3);

        Assert.False(await store.TryAppendAsync(AuditEntry.Next(entries[1], AuditTestData.Record(9), AuditTestData.Start), Token));
        Assert.Equal(entries[2], await store.LastAsync(Token));
        Assert.Equal(3, (await store.QueryAsync(AuditFilter.None, 0, 10, Token)).Total);
    }

    [Fact]
    public async Task Pages_come_newest_first_with_the_total()
    {
        var (store, _) = await Filled();

        var first = await store.QueryAsync(AuditFilter.None, 0, 10, Token);
        var last = await store.QueryAsync(AuditFilter.None, 20, 10, Token);
        var beyond = await store.QueryAsync(AuditFilter.None, 30, 10, Token);

        Assert.Equal(Enumerable.Range(21, 10).Reverse(), first.Entries.Select(e => (int)e.Sequence));
        Assert.Equal(Enumerable.Range(1, 10).Reverse(), last.Entries.Select(e => (int)e.Sequence));
        Assert.Empty(beyond.Entries);
        Assert.All([first, last, beyond], page => Assert.Equal(30, page.Total));
    }

    [Fact]
    public async Task Filters_by_user_action_and_target_combine_and_count()
    {
        var (store, entries) = await Filled();

        var page = await store.QueryAsync(new AuditFilter { User = "alice", Target = "staging" }, 0, 3, Token);
        var expected = entries.Where(e => e is { User: "alice", Target: "staging" }).OrderByDescending(e => e.Sequence).ToList();

        Assert.Equal(expected.Count, page.Total);
        Assert.Equal(expected.Take(3), page.Entries);

        var approvals = await store.QueryAsync(new AuditFilter { Actions = [AuditActions.Approved] }, 2, 100, Token);
        Assert.Equal(entries.Count(e => e.Action == AuditActions.Approved), approvals.Total);
        Assert.Equal(entries.Where(e => e.Action == AuditActions.Approved).Reverse().Skip(2), approvals.Entries);
    }

    [Fact]
    public async Task The_user_matches_a_part_of_the_name_in_any_case_and_several_actions_and_a_run_combine()
    {
        var (store, entries) = await Filled();

        var page = await store.QueryAsync(new AuditFilter { User = "LIC", Actions = [AuditActions.RunCreated, AuditActions.SignIn] }, 0, 100, Token);
        var run = await store.QueryAsync(new AuditFilter { RunId = "run-4" }, 0, 100, Token);

        var expected = entries.Where(e => e.User == "alice" && e.Action is AuditActions.RunCreated or AuditActions.SignIn).Reverse().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, page.Entries);
        Assert.Equal(expected.Count, page.Total);
        Assert.Equal(entries.Where(e => e.RunId == "run-4"), run.Entries);
    }

    [Theory]
    [InlineData("a.b", new[] { "a.b" })]
    [InlineData("A+B(", new[] { "xa+b(cx" })]
    [InlineData("[x]*", new[] { "[x]*" })]
    [InlineData(@"\d", new[] { @"c:\d" })]
    [InlineData("^a$|b", new[] { "^a$|b" })]
    [InlineData("{1}-#/", new[] { "q{1}-#/" })]
    public async Task A_user_filter_is_literal_text_even_with_regular_expression_characters(string user, string[] expected)
    {
        var store = CreateStore();
        AuditEntry? previous = null;
        // Names a regular expression would also match if the text were not taken literally.
        foreach (var name in new[] { "a.b", "axb", "xa+b(cx", "aab", "[x]*", "x", @"c:\d", "c:5", "^a$|b", "a", "b", "q{1}-#/", "q1" })
        {
            previous = AuditEntry.Next(previous, AuditTestData.Record(0) with { User = name }, AuditTestData.Start);
            Assert.True(await store.TryAppendAsync(previous, Token));
        }

        var page = await store.QueryAsync(new AuditFilter { User = user }, 0, 100, Token);

        Assert.Equal(expected, page.Entries.Select(e => e.User));
    }

    [Fact]
    public async Task The_date_range_includes_both_whole_days_in_UTC()
    {
        var (store, entries) = await Filled();
        var from = DateOnly.FromDateTime(AuditTestData.Start).AddDays(2);
        var to = from.AddDays(1);

        var page = await store.QueryAsync(new AuditFilter { From = from, To = to }, 0, 100, Token);

        var expected = entries.Where(e => DateOnly.FromDateTime(e.Time) >= from && DateOnly.FromDateTime(e.Time) <= to).ToList();
        Assert.Equal(8, expected.Count);
        Assert.Equal(8, page.Total);
        Assert.Equal(expected.Select(e => e.Sequence).Reverse(), page.Entries.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Blank_filters_mean_any_and_an_unknown_value_matches_nothing()
    {
        var (store, _) = await Filled(5);

        Assert.Equal(5, (await store.QueryAsync(new AuditFilter { User = "  ", Actions = [""], Target = null, RunId = " " }, 0, 10, Token)).Total);
        Assert.Equal(0, (await store.QueryAsync(new AuditFilter { User = "nobody" }, 0, 10, Token)).Total);
    }

    [Fact]
    public async Task The_export_stream_has_every_matching_entry_newest_first()
    {
        var (store, entries) = await Filled();

        var bob = await store.ReadFilteredAsync(new AuditFilter { User = "bob" }, Token).ToListAsync(Token);

        Assert.Equal(entries.Where(e => e.User == "bob").Reverse(), bob);
    }
}
