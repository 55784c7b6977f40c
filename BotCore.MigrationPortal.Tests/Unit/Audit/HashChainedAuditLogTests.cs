using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotCore.MigrationPortal.Tests.Unit.Audit;

public sealed class HashChainedAuditLogTests
{
    private readonly InMemoryAuditStore store = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(AuditTestData.Start));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private HashChainedAuditLog Log(IAuditStore? over = null) => new(over ?? store, time, NullLogger<HashChainedAuditLog>.Instance);

    [Fact]
    public async Task Records_become_linked_entries_with_the_actor_and_the_time()
    {
        var log = Log();
        var alice = new Actor("alice", Role.Approver);

        await log.RecordAsync(AuditRecord.By(alice, AuditActions.Approved, "Approved run r-1", "production", "r-1"), Token);
        time.Advance(TimeSpan.FromMinutes(1));
        await log.RecordAsync(AuditRecord.By(alice, AuditActions.RunQueued, "Queued run r-1", "production", "r-1"), Token);

        var chain = await store.ReadChainAsync(Token).ToListAsync(Token);
        Assert.Equal([1L, 2L], chain.Select(e => e.Sequence));
        Assert.Equal(("alice", "Approver", "approved", "production", "r-1"), (chain[0].User, chain[0].Role, chain[0].Action, chain[0].Target, chain[0].RunId));
        Assert.Equal(AuditTestData.Start.AddMinutes(1), chain[1].Time);
        Assert.Equal(chain[0].Hash, chain[1].PreviousHash);
        Assert.True((await AuditChain.VerifyAsync(chain.ToAsyncEnumerable(), Token)).Intact);
    }

    [Fact]
    public async Task Many_concurrent_writers_still_form_one_chain()
    {
        var logs = Enumerable.Range(0, 4).Select(_ => Log()).ToList();

        await Task.WhenAll(logs.SelectMany((log, writer) => Enumerable.Range(0, 25).Select(i =>
            Task.Run(() => log.RecordAsync(AuditTestData.Record(writer * 25 + i), Token), Token))));

        var report = await AuditChain.VerifyAsync(store.ReadChainAsync(Token), Token);
        Assert.True(report.Intact, report.Summary);
        Assert.Equal(100, report.EntriesChecked);
    }

    [Fact]
    public async Task A_lost_race_is_retried_on_top_of_the_winner()
    {
        var racing = new RacingStore(store, AuditTestData.Record(99), time);

        await Log(racing).RecordAsync(AuditTestData.Record(1), Token);

        var chain = await store.ReadChainAsync(Token).ToListAsync(Token);
        Assert.Equal(["entry 99", "entry 1"], chain.Select(e => e.Details));
        Assert.True((await AuditChain.VerifyAsync(chain.ToAsyncEnumerable(), Token)).Intact);
    }

    [Fact]
    public async Task Each_record_is_also_a_structured_log_event()
    {
        var logger = new CapturingLogger();
        var log = new HashChainedAuditLog(store, time, logger);

        await log.RecordAsync(new AuditRecord("olga", "Operator", AuditActions.RunCreated, "staging", "r-7", "Created run r-7"), Token);

        var (template, properties, scope) = Assert.Single(logger.Events);
        Assert.Equal("Audit #{Sequence} {Action} by {User} ({Role}): {Details}", template);
        Assert.Equal([1L, "run-created", "olga", "Operator", "Created run r-7"], new[] { "Sequence", "Action", "User", "Role", "Details" }.Select(name => properties[name]));
        Assert.Equal(("staging", "r-7", (await store.LastAsync(Token))!.Hash), (scope["Target"], scope["RunId"], scope["AuditHash"]));
    }

    /// <summary>Keeps each event's message template, its properties and the properties of the scope around it.</summary>
    private sealed class CapturingLogger : ILogger<HashChainedAuditLog>
    {
        private IReadOnlyDictionary<string, object?> scope = new Dictionary<string, object?>();

        public List<(string Template, IReadOnlyDictionary<string, object?> Properties, IReadOnlyDictionary<string, object?> Scope)> Events { get; } = [];

        public IDisposable BeginScope<TState>(TState state) where TState : notnull
        {
            scope = ((IEnumerable<KeyValuePair<string, object?>>)state).ToDictionary();
            return new NoScope();
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = ((IEnumerable<KeyValuePair<string, object?>>)state!).ToDictionary();
            Events.Add(((string)properties["{OriginalFormat}"]!, properties, scope));
        }

        private sealed class NoScope : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }

    /// <summary>Lets another writer append between the first read of the last entry and the insert.</summary>
    private sealed class RacingStore(InMemoryAuditStore inner, AuditRecord other, TimeProvider time) : IAuditStore
    {
        private bool raced;

        public async Task<AuditEntry?> LastAsync(CancellationToken cancellationToken)
        {
            var last = await inner.LastAsync(cancellationToken);
            if (!raced)
            {
                raced = true;
                await inner.TryAppendAsync(AuditEntry.Next(last, other, time.GetUtcNow().UtcDateTime), cancellationToken);
            }
            return last;
        }

        public Task<bool> TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken) => inner.TryAppendAsync(entry, cancellationToken);

        public Task<AuditPage> QueryAsync(AuditFilter filter, int skip, int take, CancellationToken cancellationToken) =>
            inner.QueryAsync(filter, skip, take, cancellationToken);

        public IAsyncEnumerable<AuditEntry> ReadFilteredAsync(AuditFilter filter, CancellationToken cancellationToken) =>
            inner.ReadFilteredAsync(filter, cancellationToken);

        public IAsyncEnumerable<AuditEntry> ReadChainAsync(CancellationToken cancellationToken) => inner.ReadChainAsync(cancellationToken);
    }
}
