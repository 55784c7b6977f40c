namespace BotCore.MigrationPortal.Audit;

/// <summary>One page of entries, newest first, and how many entries match the filter in all.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long Total);

/// <summary>Where audit entries are kept (MongoDB, or memory in sandbox mode). There is no update and no delete.</summary>
public interface IAuditStore
{
    /// <summary>The entry with the highest sequence number, or null when the log is empty.</summary>
    Task<AuditEntry?> LastAsync(CancellationToken cancellationToken);

    /// <summary>Adds the entry; false when an entry with its sequence number exists (another writer appended first).</summary>
    Task<bool> TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    Task<AuditPage> QueryAsync(AuditFilter filter, int skip, int take, CancellationToken cancellationToken);

    /// <summary>Every entry matching the filter, newest first, streamed.</summary>
    IAsyncEnumerable<AuditEntry> ReadFilteredAsync(AuditFilter filter, CancellationToken cancellationToken);

    /// <summary>Every entry in ascending sequence order, streamed, for verification.</summary>
    IAsyncEnumerable<AuditEntry> ReadChainAsync(CancellationToken cancellationToken);
}
