using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Authoring;

/// <summary>
/// Reads every migration of a build for mistakes that pass every run and hurt later: indexes that do not match what the validator
/// guarantees, and data steps that do not say why they can run twice. Each migration is judged on what it changes, whichever step
/// changes it: the indexes it creates or changes, every index of a collection it creates or whose validator it changes, and its
/// data steps, against the catalog it leaves.
/// </summary>
public sealed class MigrationAuthoringChecks(MigrationRegistry registry)
{
    public IReadOnlyList<AuthoringFinding> All() => registry.Migrations.SelectMany(Of).ToList();

    public IReadOnlyList<AuthoringFinding> Of(RegisteredMigration migration)
    {
        var before = registry.ExpectedCatalogAt(registry.Previous(migration.Version));
        var after = registry.ExpectedCatalogAt(migration.Version);
        var findings = new List<AuthoringFinding>();
        foreach (var (collection, index) in IndexesJudged(before, after))
        {
            findings.AddRange(IndexFindings(migration.Version, collection, index));
        }
        findings.AddRange(ValidatorFindings(migration.Version, before, after));
        findings.AddRange(DataStepFindings(migration));
        return findings.Select(finding => finding with { Acknowledged = AcknowledgementOf(migration.Definition, finding) }).ToList();
    }

    private static IEnumerable<(CollectionDefinition Collection, IndexDefinition Index)> IndexesJudged(SchemaCatalog before, SchemaCatalog after) =>
        after.Collections.Values
            .SelectMany(collection => collection.Indexes.Values.Select(index => (collection, index)))
            .Where(pair => ValidatorChanged(before, pair.collection) || before.Find(pair.collection.Name)?.Indexes.GetValueOrDefault(pair.index.Name) != pair.index);

    /// <summary>A collection that is new, or whose validator this migration changed (by any step: a validator step, a rebuild).</summary>
    private static bool ValidatorChanged(SchemaCatalog before, CollectionDefinition collection) =>
        before.Find(collection.Name) is not { } previous || !Equals(previous.Options.Validator, collection.Options.Validator);

    private static IEnumerable<AuthoringFinding> IndexFindings(SchemaVersion version, CollectionDefinition collection, IndexDefinition index)
    {
        var validator = ValidatorFields.Of(collection.Options.Validator);
        if (!validator.IsReadable) yield break;
        // "required" guarantees a field only when the validator refuses: with validationAction "warn" or validationLevel "off" it only logs.
        var enforced = collection.Options.ValidationAction != "warn" && collection.Options.ValidationLevel != "off";
        bool Required(string field) => enforced && validator.Requires(field);
        var fields = index.Key.Names.Where(IsDocumentField).ToList();
        var reported = new HashSet<string>(StringComparer.Ordinal);

        if (index.Unique && index.PartialFilterExpression is null)
        {
            var optional = fields.Where(field => !Required(field)).ToList();
            if (optional.Count > 0)
            {
                reported.UnionWith(optional);
                var others = fields.Except(optional).ToList();
                yield return new(version, AuthoringRule.UniqueOnOptionalField, AuthoringSeverity.Warning, collection.Name, index.Name,
                    $"Unique index {index.Name} on {collection.Name} covers {Fields(optional)}, which the validator does not {(enforced ? "require" : "enforce")}: " +
                    $"a second document without {Fields(optional)}{(others.Count > 0 ? $" and with the same {Fields(others)}" : "")} collides with the first " +
                    "(a missing field is indexed as null).",
                    $"Require {Fields(optional)} in the validator, or make the index partial: partialFilterExpression: {PartialFilter(optional)}.");
            }
        }

        // The server expires by single-field indexes only; on a compound key it ignores expireAfterSeconds.
        if (index.ExpireAfterSeconds is not null && index.Key.ElementCount == 1 && fields.Count == 1)
        {
            var field = fields[0];
            var types = validator.TypesOf(field);
            var isDate = types.Count > 0 && types.All(type => type == "date");
            if (!Required(field) || (types.Count > 0 && !isDate))
            {
                reported.Add(field);
                var why = !Required(field) ? $"which the validator does not {(enforced ? "require" : "enforce")}" : $"which the validator allows as {string.Join(" or ", types)}";
                yield return new(version, AuthoringRule.TtlOnOptionalOrNonDateField, AuthoringSeverity.Warning, collection.Name, index.Name,
                    $"TTL index {index.Name} on {collection.Name} expires documents by {field}, {why}: documents without a date in {field} never expire.",
                    $"Require {field} with bsonType \"date\" in the validator, or put the TTL on a field that is (the application may write it under another name).");
            }
            else if (types.Count == 0)
            {
                reported.Add(field);
                yield return new(version, AuthoringRule.TtlOnOptionalOrNonDateField, AuthoringSeverity.Note, collection.Name, index.Name,
                    $"TTL index {index.Name} on {collection.Name} expires documents by {field}, which the validator requires but does not declare a date: " +
                    $"a document whose {field} is a string or a number never expires.",
                    $"Add {field}: {{ bsonType: \"date\" }} to the validator's properties.");
            }
        }

        if (validator.Exists)
        {
            var unmentioned = fields.Where(field => !reported.Contains(field) && !validator.Mentions(field)).ToList();
            if (unmentioned.Count > 0)
            {
                yield return new(version, AuthoringRule.IndexOnUnvalidatedField, AuthoringSeverity.Warning, collection.Name, index.Name,
                    $"Index {index.Name} on {collection.Name} covers {Fields(unmentioned)}, which the validator does not mention: nothing makes sure " +
                    $"documents have {Fields(unmentioned)} or says what type {(unmentioned.Count == 1 ? "it holds" : "they hold")}, so queries the index serves may silently miss documents.",
                    $"Add {Fields(unmentioned)} to the validator's properties (and to required, when every document has {(unmentioned.Count == 1 ? "it" : "them")}).");
            }
        }
    }

    private static IEnumerable<AuthoringFinding> ValidatorFindings(SchemaVersion version, SchemaCatalog before, SchemaCatalog after) =>
        after.Collections.Values
            .Where(collection => ValidatorChanged(before, collection) && !ValidatorFields.Of(collection.Options.Validator).IsReadable)
            .Select(collection => new AuthoringFinding(version, AuthoringRule.UnreadableValidator, AuthoringSeverity.Note, collection.Name, "validator",
                $"The validator of {collection.Name} is written with query operators, not $jsonSchema: the index checks cannot tell what it requires, " +
                $"so they say nothing about {collection.Name}'s indexes."));

    private static IEnumerable<AuthoringFinding> DataStepFindings(RegisteredMigration migration) =>
        migration.Steps
            .Select((step, index) => (step, Number: index + 1))
            .Where(pair => pair.step.Kind == StepKind.Data && string.IsNullOrWhiteSpace(pair.step.Idempotency))
            .Select(pair => new AuthoringFinding(migration.Version, AuthoringRule.DataStepWithoutIdempotency, AuthoringSeverity.Warning,
                string.Join(", ", pair.step.Touches), $"step {pair.Number}",
                $"Data step {pair.Number} ({pair.step.Description}) does not say why running it a second time writes nothing; a retried or resumed run runs it again.",
                "Write it so that it selects only the documents it has not done yet (or upserts), and say so in its idempotency rule."));

    private static AuthoringAcknowledgement? AcknowledgementOf(Migration migration, AuthoringFinding finding) =>
        migration.AcknowledgedFindings.FirstOrDefault(a => a.Rule == finding.Rule && a.Collection == finding.Collection && a.Index == finding.Subject);

    // _id is always present; $-prefixed keys and wildcard paths are not one field of the document.
    private static bool IsDocumentField(string name) => name != "_id" && !name.StartsWith('$') && !name.Contains("$**", StringComparison.Ordinal);

    private static string Fields(IReadOnlyList<string> fields) => string.Join(" and ", fields);

    private static string PartialFilter(IReadOnlyList<string> fields) =>
        new BsonDocument(fields.Select(field => new BsonElement(field, new BsonDocument("$exists", true)))).ToString();
}
