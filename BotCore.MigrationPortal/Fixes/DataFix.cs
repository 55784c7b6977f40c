using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Engine;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Fixes;

/// <summary>
/// A one-off correction of documents, apart from the migrations (the spec's best practice 4: "use migrations for schema changes,
/// separate scripts for data fixes"). Declared in <c>fixes/</c>, one class per file; the file's name is the fix's id
/// (<c>2026-12-02-trades-missing-status.cs</c> is <c>2026-12-02-trades-missing-status</c>) and links it to its embedded source, so to
/// its checksum. A fix never changes the schema: its run starts and ends at the same version.
/// </summary>
/// <remarks>
/// Its parts: which documents it is about (<see cref="Scope"/>, all by default), its idempotency rule (<see cref="StillNeeded"/>: the
/// documents that still need it, which it must no longer match once fixed, so a second run changes nothing), the fields it sets
/// (<see cref="Fields"/>) and their new values for one document (<see cref="ValuesFor"/>, a C# function; <see cref="SetFieldsFix"/> for
/// constant values). The undo is not written by hand: before a document is changed, the values its <see cref="Fields"/> held (or their
/// absence) are recorded in the target's <c>fix_undo</c> collection, and the undo puts them back where the document still holds what the
/// fix set.
/// </remarks>
public abstract partial class DataFix
{
    protected DataFix(string description, string collection, [CallerFilePath] string sourcePath = "")
    {
        Description = description;
        Collection = collection;
        SourceFileName = Path.GetFileName(sourcePath.Replace('\\', '/'));
        Id = Path.GetFileNameWithoutExtension(SourceFileName);
    }

    /// <summary>The file name without <c>.cs</c>: a date and words, <c>2026-12-02-trades-missing-status</c>.</summary>
    public string Id { get; }

    public string SourceFileName { get; }

    public string Description { get; }

    /// <summary>The one collection whose documents it changes.</summary>
    public string Collection { get; }

    /// <summary>The documents the fix is about, before its idempotency rule (for example one user's trades); all by default.</summary>
    public virtual FilterDefinition<BsonDocument> Scope => FilterDefinition<BsonDocument>.Empty;

    /// <summary>The idempotency rule: the documents that still need the fix. A document the fix has changed must no longer match it.</summary>
    public abstract FilterDefinition<BsonDocument> StillNeeded { get; }

    /// <summary>The top-level fields the fix sets; their previous values are what the undo restores.</summary>
    public abstract IReadOnlyList<string> Fields { get; }

    /// <summary>The new values of <see cref="Fields"/> (only those) for one document that still needs the fix.</summary>
    public abstract BsonDocument ValuesFor(BsonDocument document);

    /// <summary>How a plan shows the values: the constant <c>$set</c> document, or null when they are computed per document.</summary>
    public virtual BsonDocument? ConstantValues => null;

    /// <summary>The documents the run changes: in its scope and still needing it.</summary>
    public FilterDefinition<BsonDocument> Pending => Scope & StillNeeded;

    /// <summary>Why this fix cannot be registered (a bad id, a field the undo could not restore); null when it can.</summary>
    public string? Problem() =>
        !IdPattern().IsMatch(Id) ? $"Fix file '{SourceFileName}' must be named yyyy-MM-dd-words.cs (lower case, digits and hyphens), so that its id says when and what."
        : string.IsNullOrWhiteSpace(Description) ? $"Fix {Id} needs a description."
        : string.IsNullOrWhiteSpace(Collection) ? $"Fix {Id} names no collection."
        : Fields.Count == 0 ? $"Fix {Id} sets no field."
        : Fields.FirstOrDefault(f => f == "_id" || f.Contains('.') || f.StartsWith('$')) is { } bad
            ? $"Fix {Id} sets '{bad}': a fix sets top-level fields other than _id, whose previous values the undo can restore."
        : null;

    /// <summary>The new values for <paramref name="document"/>, checked: a fix that sets a field it did not declare could not be undone.</summary>
    /// <exception cref="MigrationEngineException">The fix computed a field outside <see cref="Fields"/>, or none.</exception>
    public BsonDocument CheckedValuesFor(BsonDocument document)
    {
        var values = ValuesFor(document);
        var undeclared = values.Names.FirstOrDefault(n => !Fields.Contains(n));
        if (values.ElementCount == 0 || undeclared is not null)
        {
            throw new MigrationEngineException(
                $"Fix {Id} computed {(undeclared is null ? "no value" : $"the field '{undeclared}', which it does not declare in Fields")} " +
                $"for the document {document.GetValue("_id", BsonNull.Value)}: its undo could not restore it. Correct the fix.");
        }
        return values;
    }

    [GeneratedRegex(@"\A\d{4}-\d{2}-\d{2}-[a-z0-9]+(-[a-z0-9]+)*\z")]
    private static partial Regex IdPattern();
}

/// <summary>A fix that sets the same values on every document that needs it: an <c>updateMany</c>'s <c>$set</c>, in batches, with an undo.</summary>
public abstract class SetFieldsFix(string description, string collection, BsonDocument set, [CallerFilePath] string sourcePath = "")
    : DataFix(description, collection, sourcePath)
{
    public override IReadOnlyList<string> Fields { get; } = set.Names.ToList();

    public override BsonDocument ValuesFor(BsonDocument document) => set.DeepClone().AsBsonDocument;

    public override BsonDocument? ConstantValues => set;
}
