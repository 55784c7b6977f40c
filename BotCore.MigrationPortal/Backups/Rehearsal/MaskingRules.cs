using BotCore.MigrationPortal.Backups.Layout;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Security;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Backups.Rehearsal;

/// <summary>
/// Reads the masking rules a person typed, one a line (<c>collection.field hash</c>, <c>collection.field fixed VALUE</c>,
/// <c>collection.field remove</c>), and checks them against the backup they are to be applied to. The page, the service and the
/// queued job all ask these; a bad line is a sentence naming it, never an exception.
/// </summary>
public static class MaskingRules
{
    /// <summary>The most rules one restore takes.</summary>
    public const int MaxRules = 50;

    /// <summary>The rules, or the first problem as a sentence naming the line.</summary>
    public static (IReadOnlyList<MaskingRule> Rules, string? Problem) Parse(string? text)
    {
        var lines = (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count > MaxRules) return ([], $"At most {MaxRules} masking rules, one a line; {lines.Count} were given.");
        var rules = new List<MaskingRule>();
        for (var i = 0; i < lines.Count; i++)
        {
            var (rule, problem) = ParseLine(lines[i]);
            if (problem is not null) return ([], $"Masking rule {i + 1} (\"{Shorten(lines[i])}\"): {problem}");
            rules.Add(rule!);
        }
        return (rules, null);
    }

    /// <summary>
    /// Whether the rules fit the backup: each names one of its application's collections of documents (a view has none; a time series is
    /// stored as buckets; system_config and the changelog are the portal's record of the version), each field once.
    /// </summary>
    public static Verdict Check(IReadOnlyList<MaskingRule> rules, BackupManifest backup)
    {
        if (rules.Count > MaxRules) return Verdict.No($"Not restored: at most {MaxRules} masking rules.");
        foreach (var rule in rules)
        {
            if (ParseLine(rule.ToString()).Problem is { } problem) return Verdict.No($"Not restored: masking rule \"{Shorten(rule.ToString())}\": {problem}");
            var collection = backup.Collections.FirstOrDefault(c => c.Name == rule.Collection);
            if (collection is null)
            {
                return Verdict.No($"Not restored: masking rule \"{rule}\" names collection {rule.Collection}, which backup {backup.Id} does not hold " +
                    (backup.Collections.Count == 0 ? "(it holds no collection)." : $"(it holds {string.Join(", ", backup.Collections.Select(c => c.Name))})."));
            }
            if (TargetCollections.IsOutsideCatalog(collection.Name))
            {
                // The schema version and the changelog must come across as they are: they say what the destination now holds.
                return Verdict.No($"Not restored: masking rule \"{rule}\" names {rule.Collection}, which is MongoDB's or the portal's own: only the application's collections can be masked.");
            }
            if (collection.Type != CollectionMetadata.CollectionType)
            {
                return Verdict.No($"Not restored: masking rule \"{rule}\" names {rule.Collection}, a {collection.Type}: only a collection's documents can be masked.");
            }
        }
        var twice = rules.GroupBy(r => (r.Collection, r.Field)).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? Verdict.Yes : Verdict.No($"Not restored: {twice.Key.Collection}.{twice.Key.Field} has {twice.Count()} masking rules; give it one.");
    }

    private static (MaskingRule? Rule, string? Problem) ParseLine(string line)
    {
        if (line.Length > MaskingRule.MaxLength) return (null, $"longer than {MaskingRule.MaxLength} characters");
        var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length < 2) return (null, "write collection.field and then hash, hash-email, fixed VALUE or remove");
        var dot = parts[0].IndexOf('.');
        if (dot <= 0 || dot == parts[0].Length - 1) return (null, $"\"{parts[0]}\" is not collection.field");
        var (collection, field) = (parts[0][..dot], parts[0][(dot + 1)..]);
        if (field.Split('.').Any(segment => segment.Length == 0 || segment.StartsWith('$'))) return (null, $"\"{field}\" is not a field path");
        if (field == "_id" || field.StartsWith("_id.", StringComparison.Ordinal))
        {
            return (null, "_id cannot be masked, nor a field inside it: _id is what the documents are told apart by, and a changed one can collide with another");
        }
        if (field.Split('.').Any(segment => segment.All(char.IsAsciiDigit)))
        {
            return (null, $"\"{field}\" has a numeric segment: masking follows arrays element by element, so name the field without the position (items.email, not items.0.email)");
        }
        return parts[1].ToLowerInvariant() switch
        {
            "hash" when parts.Length == 2 => (new MaskingRule(collection, field, MaskingKind.Hash), null),
            "hash-email" when parts.Length == 2 => (new MaskingRule(collection, field, MaskingKind.HashEmail), null),
            "remove" when parts.Length == 2 => (new MaskingRule(collection, field, MaskingKind.Remove), null),
            "fixed" when parts.Length == 3 => (new MaskingRule(collection, field, MaskingKind.Fixed, parts[2]), null),
            "fixed" => (null, "fixed needs the value to write, after it"),
            _ => (null, $"\"{parts[1]}\" is not a kind of masking: hash, hash-email, fixed VALUE or remove"),
        };
    }

    /// <summary>
    /// Whether the collection's rules can be applied to it as its metadata in the backup describes it, asked before anything is dropped:
    /// null when they can, else why not. A unique index is built after the documents are inserted, so a fixed or removed key would fail
    /// it half-way through the restore; a value the validator does not take would be inserted (the restore bypasses validation) and then
    /// make every later update of its document fail under validationLevel strict, where production's would not.
    /// </summary>
    public static string? CheckAgainst(IReadOnlyList<MaskingRule> rules, CollectionMetadata metadata)
    {
        foreach (var rule in rules.Where(r => r.Collection == metadata.CollectionName))
        {
            if ((UniqueIndexProblem(rule, metadata) ?? MaskingValidation.Problem(rule, metadata)) is { } problem)
            {
                return $"Nothing was changed: masking rule \"{Shorten(rule.ToString())}\" cannot be applied to {metadata.CollectionName}: {problem}.";
            }
        }
        return null;
    }

    private static string? UniqueIndexProblem(MaskingRule rule, CollectionMetadata metadata)
    {
        if (rule.Kind is MaskingKind.Hash or MaskingKind.HashEmail) return null;
        foreach (var index in metadata.Indexes.Where(i => i.GetValue("unique", false).ToBoolean()))
        {
            var keys = index.GetValue("key", new BsonDocument()).AsBsonDocument.Names;
            if (!keys.Any(key => key == rule.Field || key.StartsWith(rule.Field + ".", StringComparison.Ordinal))) continue;
            var sparse = index.GetValue("sparse", false).ToBoolean() || index.Contains("partialFilterExpression");
            // Removed keys are indexed as null (unless the index skips documents without them); one fixed value is the same in every document.
            if (rule.Kind == MaskingKind.Remove && sparse) continue;
            return $"{rule.Field} is a key of the unique index {index.GetValue("name", "?")}, which {(rule.Kind == MaskingKind.Remove ? "would index every document as null" : "would see the same value in every document")} " +
                "and fail once the documents are in; use hash or hash-email, which keep different values different";
        }
        return null;
    }

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "…";
}
