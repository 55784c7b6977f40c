using BotCore.MigrationPortal.Engine.Catalog;

namespace BotCore.MigrationPortal.Engine.History;

/// <summary>
/// One <c>DATABASE_SCHEMA_VERSION</c> document of <c>system_config</c>, as found. The spec's 1.0.0 script inserts one each time it
/// runs and its later scripts update the first they find, so a database built by the scripts may hold several.
/// </summary>
/// <param name="Id">The document's <c>_id</c>, as text (it names the document to keep when a database is adopted).</param>
/// <param name="Value">What it records, as stored (not always a version).</param>
public sealed record VersionDocument(string Id, string? Value, DateTime? CreatedAt, DateTime? UpdatedAt, string? UpdatedBy)
{
    public const string Key = "DATABASE_SCHEMA_VERSION";

    public SchemaVersion? Version => SchemaVersion.TryParse(Value, out var version) ? version : null;

    public string Describe() =>
        $"{Id}: value {(Value is null ? "missing" : $"\"{Value}\"")}" + (UpdatedAt is { } at ? $", updated {at:u}" : "") + (UpdatedBy is { } by ? $" by {by}" : "") +
        (CreatedAt is { } created ? $", created {created:u}" : "");

    /// <summary>The version <paramref name="documents"/> record: 0.0.0 when there is none.</summary>
    /// <exception cref="MigrationEngineException">More than one document, or a value that is not a version: for a person to decide.</exception>
    public static SchemaVersion VersionOf(IReadOnlyList<VersionDocument> documents) => documents switch
    {
        [] => SchemaVersion.Zero,
        [{ Version: { } version }] => version,
        [var single] => throw new MigrationEngineException(
            $"system_config holds {Key} = {(single.Value is null ? "nothing" : $"\"{single.Value}\"")}, which is not a schema version. Repair it by hand (for example \"1.2.0\")."),
        _ => throw new MigrationEngineException(
            $"system_config holds {documents.Count} {Key} documents ({string.Join("; ", documents.Select(d => d.Describe()))}): the spec's 1.0.0 script inserts one " +
            "each time it runs. Adopt the database (baseline), which keeps one, or delete the wrong ones by hand."),
    };
}

/// <summary>What adoption compares a database with: its collections whatever its version documents say, those documents, and its changelog.</summary>
/// <param name="Collections">The live catalog, version left at 0.0.0 (the documents say the version, possibly several).</param>
public sealed record AdoptionSnapshot(SchemaCatalog Collections, IReadOnlyList<VersionDocument> VersionDocuments, int ChangelogEntries);
