namespace BotCore.MigrationPortal.Audit;

/// <summary>Verification of the hash chain: a pure walk over the entries in sequence order, one at a time.</summary>
public static class AuditChain
{
    /// <param name="entries">Every entry in ascending sequence order, as streamed from a store: only the previous entry is kept.</param>
    public static async Task<AuditChainReport> VerifyAsync(IAsyncEnumerable<AuditEntry> entries, CancellationToken cancellationToken)
    {
        AuditEntry? previous = null;
        long checkedCount = 0;
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            // A source need not observe the token itself; a long walk must still stop when the page is closed.
            cancellationToken.ThrowIfCancellationRequested();
            if (FindBreak(previous, entry) is { } broken) return new AuditChainReport(checkedCount, broken);
            previous = entry;
            checkedCount++;
        }
        return new AuditChainReport(checkedCount, null);
    }

    private static AuditChainBreak? FindBreak(AuditEntry? previous, AuditEntry entry)
    {
        var expected = (previous?.Sequence ?? 0) + 1;
        if (entry.Sequence > expected)
        {
            var missing = entry.Sequence - 1 == expected ? $"entry #{expected} is" : $"entries #{expected} to #{entry.Sequence - 1} are";
            return Break(AuditBreakKind.Missing, entry, $"{missing} missing (deleted){After(previous)}.");
        }
        if (entry.Sequence < expected)
        {
            return Break(AuditBreakKind.OutOfOrder, entry, $"entry #{expected} was expected but #{entry.Sequence} came{After(previous)}: entries were inserted or reordered.");
        }
        if (!string.Equals(entry.Hash, AuditHash.Of(entry), StringComparison.Ordinal))
        {
            return Break(AuditBreakKind.Edited, entry, "the entry was edited: its hash does not match its content.");
        }
        var expectedLink = previous?.Hash ?? AuditHash.Genesis;
        if (!string.Equals(entry.PreviousHash, expectedLink, StringComparison.Ordinal))
        {
            return Break(AuditBreakKind.Unlinked, entry, previous is null
                ? "the first entry does not start the chain: entries before it were deleted."
                : $"its link to entry #{previous.Sequence} does not match: entry #{previous.Sequence} was replaced or re-hashed, or an entry between them was deleted.");
        }
        return null;
    }

    private static string After(AuditEntry? previous) =>
        previous is null ? " at the start of the log" : $" after entry #{previous.Sequence} ({AuditHash.FormatTime(previous.Time)})";

    private static AuditChainBreak Break(AuditBreakKind kind, AuditEntry entry, string description) =>
        new(kind, entry.Sequence, entry.Time, description);
}
