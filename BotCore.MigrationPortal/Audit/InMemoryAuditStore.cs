namespace BotCore.MigrationPortal.Audit;

/// <summary>The sandbox's audit log: kept in memory, forgotten when the portal stops.</summary>
public sealed class InMemoryAuditStore : IAuditStore
{
    private readonly Lock gate = new();
    private readonly List<AuditEntry> entries = [];

    public Task<AuditEntry?> LastAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(entries.Count == 0 ? null : entries[^1]);
    }

    public Task<bool> TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            // Entries are appended in sequence order, so a number at or below the last one is already taken:
            // the same answer MongoDB's unique index gives.
            if (entries.Count > 0 && entry.Sequence <= entries[^1].Sequence) return Task.FromResult(false);
            entries.Add(entry);
            return Task.FromResult(true);
        }
    }

    public Task<AuditPage> QueryAsync(AuditFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var matching = Enumerable.Reverse(entries).Where(filter.Matches).ToList();
            return Task.FromResult(new AuditPage(matching.Skip(skip).Take(take).ToList(), matching.Count));
        }
    }

    public IAsyncEnumerable<AuditEntry> ReadFilteredAsync(AuditFilter filter, CancellationToken cancellationToken) =>
        NewestFirst(cancellationToken).Where(filter.Matches).ToAsyncEnumerable();

    public IAsyncEnumerable<AuditEntry> ReadChainAsync(CancellationToken cancellationToken) => OldestFirst(cancellationToken).ToAsyncEnumerable();

    // Entries are never removed, so an index stays valid while others append; the lock is held per entry, not per walk.
    private IEnumerable<AuditEntry> NewestFirst(CancellationToken cancellationToken)
    {
        for (var index = Count() - 1; index >= 0; index--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return At(index);
        }
    }

    private IEnumerable<AuditEntry> OldestFirst(CancellationToken cancellationToken)
    {
        var count = Count();
        for (var index = 0; index < count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return At(index);
        }
    }

    private int Count()
    {
        lock (gate) return entries.Count;
    }

    private AuditEntry At(int index)
    {
        lock (gate) return entries[index];
    }
}
