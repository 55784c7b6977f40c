namespace BotCore.MigrationPortal.Audit;

/// <summary>What is wrong at the first broken link of the chain.</summary>
public enum AuditBreakKind
{
    /// <summary>The entry's hash does not match its content: a field was changed after it was written.</summary>
    Edited,

    /// <summary>Sequence numbers jump: the entries in between were deleted.</summary>
    Missing,

    /// <summary>A sequence number repeats or goes back: entries were inserted or reordered.</summary>
    OutOfOrder,

    /// <summary>The entry's previous hash is not the hash of the entry before it: that one was replaced (re-hashed) or the chain was spliced.</summary>
    Unlinked,
}

/// <summary>The first broken link: where it is (sequence number and time of the entry where the walk stopped) and what is wrong.</summary>
public sealed record AuditChainBreak(AuditBreakKind Kind, long Sequence, DateTime Time, string Description);

/// <summary>The result of walking the chain from its first entry.</summary>
/// <param name="EntriesChecked">Entries that passed before the walk stopped: all of them when intact.</param>
public sealed record AuditChainReport(long EntriesChecked, AuditChainBreak? FirstBreak)
{
    public bool Intact => FirstBreak is null;

    public string Summary => FirstBreak is { } broken
        ? $"Chain broken at entry #{broken.Sequence} ({AuditHash.FormatTime(broken.Time)}): {broken.Description}"
        : $"Chain intact, {EntriesChecked} {(EntriesChecked == 1 ? "entry" : "entries")}.";
}
