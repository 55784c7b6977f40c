using System.Runtime.CompilerServices;
using BotCore.MigrationPortal.Engine.Phases;
using BotCore.MigrationPortal.Engine.Steps;

namespace BotCore.MigrationPortal.Engine;

/// <summary>
/// One schema version: its version, what it is for, and its ordered steps. Declared in <c>migrations/</c>,
/// one class per file; the file's name links the class to its embedded source (and so to its checksum).
/// </summary>
public abstract class Migration
{
    protected Migration(string version, string description, [CallerFilePath] string sourcePath = "")
    {
        Version = SchemaVersion.Parse(version);
        Description = description;
        SourceFileName = Path.GetFileName(sourcePath.Replace('\\', '/'));
    }

    public SchemaVersion Version { get; }

    public string Description { get; }

    /// <summary>The file that declares this migration, for example <c>001_InitialSchema.cs</c>.</summary>
    public string SourceFileName { get; }

    public abstract IReadOnlyList<IMigrationStep> Steps { get; }

    /// <summary>
    /// Not released yet (the spec's "Pending", "(Draft)"): labelled everywhere, left out of <c>up</c> without <c>--to</c>, and
    /// run on Production only with an Admin's written release note. Rehearsals include drafts: that is what they are for.
    /// </summary>
    public virtual bool IsDraft => false;

    /// <summary>
    /// Queries the application depends on that this migration's indexes serve; after a run, each must be answered
    /// by an index scan (the spec's "Verify performance (index usage)").
    /// </summary>
    public virtual IReadOnlyList<CriticalQuery> CriticalQueries => [];

    /// <summary>
    /// Authoring findings this migration keeps on purpose, each with the reason (say it in a comment beside the index too): the test over
    /// every migration fails on a warning that is neither fixed nor acknowledged here.
    /// </summary>
    public virtual IReadOnlyList<Authoring.AuthoringAcknowledgement> AcknowledgedFindings => [];

    /// <summary>
    /// The half of an expand-contract change this migration is, or null. A contract is held back by <see cref="ContractGate"/> until
    /// its expand has soaked on the target and no document lacks the new field.
    /// </summary>
    public virtual ExpandContractPhase? Phase => null;
}

/// <summary>A query that must be answered by <paramref name="ExpectedIndex"/>: a filter, a sort and the limit the application uses.</summary>
/// <param name="ExpectedIndex">The index created for it; another index that happens to serve the sort does not count.</param>
/// <param name="Projection">The fields the application reads, when it reads only some: a covered query examines no documents.</param>
public sealed record CriticalQuery(string Collection, MongoDB.Bson.BsonDocument Filter, MongoDB.Bson.BsonDocument Sort, int Limit, string Description,
    string ExpectedIndex, MongoDB.Bson.BsonDocument? Projection = null);
