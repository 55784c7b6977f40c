using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Store;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>What every run store must do, run against each of them (in memory here, MongoDB in the integration tests).</summary>
public abstract class RunStoreContract
{
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly DateTime At = new(2026, 11, 24, 9, 30, 0, DateTimeKind.Utc);

    /// <summary>A new, empty store, ready to use (its indexes made).</summary>
    protected abstract Task<IRunStore> CreateStoreAsync();

    protected static MigrationRun Run(string id, string target, RunState state) => new()
    {
        Id = id, Target = target, Tier = TargetTier.Development, From = SchemaVersion.Zero, To = SchemaVersion.Parse("1.1.0"), Checksums = [],
        RequestedBy = "olga", CreatedAt = At, UpdatedAt = At, State = state,
    };

    [Fact]
    public async Task A_second_open_run_on_a_target_is_not_stored_and_the_open_one_is_named()
    {
        var store = await CreateStoreAsync();
        Assert.Null(await store.TryInsertAsync(Run("run-1", "dev", RunState.PreChecks), Token));

        var open = await store.TryInsertAsync(Run("run-2", "dev", RunState.Draft), Token);

        Assert.Equal("run-1", open?.Id);
        Assert.Null(await store.FindAsync("run-2", Token));
    }

    [Fact]
    public async Task The_open_runs_are_those_still_on_their_way_one_per_target()
    {
        var store = await CreateStoreAsync();
        foreach (var run in new[]
        {
            Run("run-dev-done", "dev", RunState.Succeeded), Run("run-dev", "dev", RunState.PreChecks),
            Run("run-staging", "staging", RunState.AwaitingApproval), Run("run-staging-cancelled", "staging", RunState.Cancelled),
            Run("run-production-failed", "production", RunState.Failed), Run("run-legacy-undone", "legacy", RunState.RolledBack),
        })
        {
            Assert.Null(await store.TryInsertAsync(run, Token));
        }

        var open = await store.OpenAsync(Token);

        Assert.Equal(["run-dev", "run-staging"], open.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_run_that_ends_is_no_longer_open()
    {
        var store = await CreateStoreAsync();
        var run = Run("run-1", "dev", RunState.AwaitingApproval);
        Assert.Null(await store.TryInsertAsync(run, Token));

        Assert.True(await store.TryReplaceAsync(run with { State = RunState.Cancelled, Revision = 1 }, 0, Token));

        Assert.Empty(await store.OpenAsync(Token));
    }

    [Fact]
    public async Task A_sent_back_run_with_comments_reads_back_as_written()
    {
        var store = await CreateStoreAsync();
        var run = Run("run-1", "dev", RunState.PreChecks) with
        {
            SentBack = new SentBack("bob", At, "the backup is from last week", "olga"),
            Comments = [new RunComment("olga", At, "window moved to 22:00"), new RunComment("bob", At.AddMinutes(1), "fine by me")],
        };
        Assert.Null(await store.TryInsertAsync(run, Token));

        var back = await store.FindAsync("run-1", Token);

        Assert.Equal(run.SentBack, back?.SentBack);
        Assert.Equal(run.Comments, back?.Comments);
        Assert.Equal(run.SentBack, Assert.Single(await store.OpenAsync(Token)).SentBack);
    }
}
