using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Pre;

/// <summary>
/// For a validator the plan adds or tightens on a collection that already holds documents: the documents it would reject.
/// MongoDB does not check existing documents when a validator is set, but refuses their next update (validationLevel "strict");
/// with validationAction "warn" it only logs, and with validationLevel "moderate" (or "off") updates of documents that already fail
/// are not checked, so then the check is a warning: the documents are counted, nothing refuses them.
/// </summary>
/// <param name="stepKey">The step that sets the validator (version/direction/number), so that two validators of one collection are two checks.</param>
internal sealed class ValidatorViolationsCheck(string stepKey, string collection, CollectionOptions options)
    : OffendingDocumentsCheck(collection, "violate the new validator", "violates the new validator")
{
    public const string IdPrefix = "pre.validator:";

    private readonly BsonDocument validator = options.Validator ?? throw new ArgumentException("The options have no validator.", nameof(options));

    public override CheckDescriptor Descriptor { get; } = new($"{IdPrefix}{stepKey}",
        $"Existing documents of {collection} pass the validator of step {stepKey}",
        options.ValidationLevel is "moderate" or "off"
            ? $"Documents of {collection} that fail the validator, counted with {{$nor: [<validator>]}}: with validationLevel \"{options.ValidationLevel}\" " +
              "their updates are not checked (inserts, and updates of documents that pass, are)."
            : $"Documents of {collection} the validator would reject on their next update, counted with {{$nor: [<validator>]}}.",
        CheckPhase.PreMigration,
        options.ValidationAction == "warn" || options.ValidationLevel is "moderate" or "off" ? CheckSeverity.Warning : CheckSeverity.Blocking);

    /// <summary>The query form of "does not satisfy the validator", as MongoDB documents it for $jsonSchema.</summary>
    protected override FilterDefinition<BsonDocument> Offending => new BsonDocument("$nor", new BsonArray { validator });
}
