using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;

namespace BotCore.MigrationPortal.Fixes;

/// <summary>
/// One line of <c>fix_journal</c> in the target database: a fix applied or undone there, from which source (its checksum), by whom,
/// when, in which run, and how many documents it changed. It travels with the data, as the migrations' changelog does.
/// </summary>
// Tolerates fields added by hand or by a newer portal, in the CLI too (which has no convention pack).
[BsonIgnoreExtraElements]
public sealed record FixJournalEntry
{
    public const string Applied = "applied";
    public const string Undone = "undone";

    /// <summary>The run stopped partway (it failed or was cancelled): some documents may be fixed, each with its undo record.</summary>
    public const string Stopped = "stopped";

    [BsonId] public ObjectId Id { get; init; } = ObjectId.GenerateNewId();
    [BsonElement("fix_id")] public required string FixId { get; init; }
    [BsonElement("checksum")] public required string Checksum { get; init; }
    [BsonElement("collection")] public required string Collection { get; init; }

    /// <summary><see cref="Applied"/>, <see cref="Undone"/> or <see cref="Stopped"/>.</summary>
    [BsonElement("action")] public required string Action { get; init; }
    [BsonElement("documents_changed")] public long DocumentsChanged { get; init; }
    [BsonElement("run_id")] public required string RunId { get; init; }
    [BsonElement("by")] public required string By { get; init; }
    [BsonElement("at")] public DateTime At { get; init; }
}

public enum FixState
{
    /// <summary>The journal has no line of it.</summary>
    NeverApplied,
    Applied,
    Undone,

    /// <summary>Its last run stopped partway: run it again to finish it (it continues where documents still need it), or undo it.</summary>
    Stopped,
}

/// <summary>Where a fix stands on one target, from its journal: applied or undone, when, by whom, and whether its source changed since.</summary>
/// <param name="Last">Its latest journal line; null when it was never applied.</param>
public sealed record FixStatus(RegisteredFix Fix, FixState State, FixJournalEntry? Last)
{
    /// <summary>Applied from a source other than this build's: the fix was edited after it ran there.</summary>
    public bool ChangedSince => State == FixState.Applied && Last!.Checksum != Fix.Checksum;

    public static string Words(FixState state) => state switch
    {
        FixState.NeverApplied => "never applied",
        FixState.Stopped => "stopped partway",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static FixStatus Of(RegisteredFix fix, IEnumerable<FixJournalEntry> journal)
    {
        var last = journal.Where(e => e.FixId == fix.Id).OrderBy(e => e.At).ThenBy(e => e.Id).LastOrDefault();
        return new FixStatus(fix, last?.Action switch
        {
            null => FixState.NeverApplied,
            FixJournalEntry.Undone => FixState.Undone,
            FixJournalEntry.Stopped => FixState.Stopped,
            _ => FixState.Applied,
        }, last);
    }

    /// <summary>"applied 2026-12-02 09:10:00Z by ana (run r-1, 12 documents)"; "changed since" when its source differs.</summary>
    public string Describe() => Last is not { } last
        ? "never applied"
        : $"{Words(State)} {last.At:u} by {last.By} (run {last.RunId}, {last.DocumentsChanged:N0} documents)" +
            (ChangedSince ? $"; CHANGED SINCE: applied from checksum {last.Checksum[..12]}, this build has {Fix.ShortChecksum}" : "");
}
