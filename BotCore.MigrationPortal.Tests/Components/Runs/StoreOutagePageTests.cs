using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Store;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>The portal store stops answering while a page is open: the click ends in one sentence, and the page stays.</summary>
public sealed class StoreOutagePageTests : RunsPageContext
{
    private readonly FailingOverRunStore store = new(new InMemoryRunStore());

    public StoreOutagePageTests() => Services.AddSingleton<IRunStore>(store);

    [Fact]
    public async Task A_click_during_a_store_outage_ends_in_one_sentence_on_the_page_not_in_a_broken_circuit()
    {
        var run = await Portal.Runs.CreateAsync(Olga, "dev", Engine.SchemaVersion.Parse("1.1.0"), Token);
        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, run.Id));
        page.WaitForElement("[data-testid=actions]", Patience);

        store.Down = true;
        await ClickButtonAsync(page.Find("[data-testid=section-checklist]"), "Run pre-checks");

        WaitForSnackbar("The portal store could not be used: no server answered in time. Try again when it answers; reload the page to see what was saved.");
        Assert.NotEmpty(page.FindAll("[data-testid=actions] button"));
    }

    /// <summary>
    /// The run store while its MongoDB is unreachable: each call fails as the driver does when no server answers, and goes through
    /// the same translation the MongoDB stores use.
    /// </summary>
    private sealed class FailingOverRunStore(IRunStore inner) : IRunStore
    {
        public bool Down { get; set; }

        public Task<MigrationRun?> TryInsertAsync(MigrationRun run, CancellationToken cancellationToken) => Call(() => inner.TryInsertAsync(run, cancellationToken));
        public Task<MigrationRun?> FindAsync(string id, CancellationToken cancellationToken) => Call(() => inner.FindAsync(id, cancellationToken));
        public Task<bool> TryReplaceAsync(MigrationRun run, long expectedRevision, CancellationToken cancellationToken) =>
            Call(() => inner.TryReplaceAsync(run, expectedRevision, cancellationToken));
        public Task<RunPage> QueryAsync(RunQuery query, CancellationToken cancellationToken) => Call(() => inner.QueryAsync(query, cancellationToken));
        public Task<IReadOnlyList<MigrationRun>> SucceededOnTierAsync(TargetTier tier, CancellationToken cancellationToken) =>
            Call(() => inner.SucceededOnTierAsync(tier, cancellationToken));
        public Task<MigrationRun?> LatestForTargetAsync(string target, CancellationToken cancellationToken) => Call(() => inner.LatestForTargetAsync(target, cancellationToken));
        public Task<IReadOnlyList<MigrationRun>> OpenAsync(CancellationToken cancellationToken) => Call(() => inner.OpenAsync(cancellationToken));

        private Task<T> Call<T>(Func<Task<T>> call) =>
            PortalStoreFailures.GuardAsync(() => Down ? Task.FromException<T>(new TimeoutException("A timeout occurred after 30000ms selecting a server.")) : call());
    }
}
