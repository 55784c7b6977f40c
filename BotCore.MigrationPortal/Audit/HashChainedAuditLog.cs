namespace BotCore.MigrationPortal.Audit;

/// <summary>
/// Appends to the chain: reads the last entry, links the new one to it, and lets the store refuse the sequence number
/// when another portal instance took it first, then tries again on the new last entry. Each record is also a log event.
/// </summary>
public sealed class HashChainedAuditLog(IAuditStore store, TimeProvider time, ILogger<HashChainedAuditLog> logger) : IAuditLog
{
    // Only another instance can take a number from under us, so each failed attempt means someone else progressed:
    // this many in a row means something is wrong, not busy.
    private const int MaxAttempts = 50;

    // Appends from this process take turns: they would only collide with each other on the same number.
    private readonly SemaphoreSlim turn = new(1, 1);

    public async Task RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await turn.WaitAsync(cancellationToken);
        try
        {
            var entry = await AppendAsync(record, cancellationToken);
            // Target and run are properties of the event rather than words of its message: they are often absent. The
            // hash makes the log files a witness kept outside the store, against which a truncated or wholly re-hashed
            // chain (which verification alone cannot tell from a genuine one) can be compared.
            using (logger.BeginScope(new Dictionary<string, object?> { ["Target"] = entry.Target, ["RunId"] = entry.RunId, ["AuditHash"] = entry.Hash }))
            {
                logger.LogInformation("Audit #{Sequence} {Action} by {User} ({Role}): {Details}", entry.Sequence, entry.Action, entry.User, entry.Role, entry.Details);
            }
        }
        finally
        {
            turn.Release();
        }
    }

    private async Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var last = await store.LastAsync(cancellationToken);
            var entry = AuditEntry.Next(last, record, time.GetUtcNow().UtcDateTime);
            if (await store.TryAppendAsync(entry, cancellationToken)) return entry;
            // Spread the instances that collided so that they do not collide again on the next number. Wall-clock
            // time, not the injected clock: this is about other processes, not about the entries' timestamps.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), cancellationToken);
        }
        throw new InvalidOperationException($"The audit entry for '{record.Action}' by {record.User} could not be appended: " +
            $"{MaxAttempts} attempts in a row found its sequence number taken by another portal instance.");
    }
}
