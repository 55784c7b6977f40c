namespace BotCore.MigrationPortal.Audit;

/// <summary>
/// One link of the audit chain as it is stored. Entries are never updated or deleted: an entry's
/// <see cref="Hash"/> covers all its other fields, including <see cref="PreviousHash"/>, so changing or removing
/// any entry breaks the chain at that point (see <see cref="AuditChain"/>).
/// </summary>
public sealed record AuditEntry
{
    /// <summary>1 for the first entry, then one more for each entry: a gap means an entry was deleted.</summary>
    public required long Sequence { get; init; }

    /// <summary>UTC, to the millisecond: what MongoDB stores, so the hash survives the round trip.</summary>
    public required DateTime Time { get; init; }

    public required string User { get; init; }
    public required string Role { get; init; }
    public required string Action { get; init; }
    public string? Target { get; init; }
    public string? RunId { get; init; }
    public required string Details { get; init; }

    /// <summary>The <see cref="Hash"/> of the entry before, or <see cref="AuditHash.Genesis"/> for the first entry.</summary>
    public required string PreviousHash { get; init; }

    public required string Hash { get; init; }

    /// <summary>The entry that follows <paramref name="previous"/> (null: the log is empty) and records <paramref name="record"/>.</summary>
    public static AuditEntry Next(AuditEntry? previous, AuditRecord record, DateTime now)
    {
        var unhashed = new AuditEntry
        {
            Sequence = (previous?.Sequence ?? 0) + 1,
            Time = AuditHash.Truncate(now),
            User = AuditHash.Storable(record.User),
            Role = AuditHash.Storable(record.Role),
            Action = AuditHash.Storable(record.Action),
            Target = record.Target is null ? null : AuditHash.Storable(record.Target),
            RunId = record.RunId is null ? null : AuditHash.Storable(record.RunId),
            Details = AuditHash.Storable(record.Details),
            PreviousHash = previous?.Hash ?? AuditHash.Genesis,
            Hash = "",
        };
        return unhashed with { Hash = AuditHash.Of(unhashed) };
    }
}
