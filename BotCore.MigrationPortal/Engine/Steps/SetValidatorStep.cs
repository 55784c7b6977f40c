using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// Replaces a collection's validator (<c>collMod</c>); a null validator removes it. The inverse puts back
/// the validator the collection had before.
/// </summary>
public sealed record SetValidatorStep(string CollectionName, BsonDocument? Validator, string? ValidationLevel = null, string? ValidationAction = null)
    : IMigrationStep
{
    public StepKind Kind => StepKind.Schema;

    public IReadOnlyList<string> Touches => [CollectionName];

    public string Description => Validator is null
        ? $"remove the validator of {CollectionName}"
        : $"set the validator of {CollectionName} ({Options.ValidationLevel}/{Options.ValidationAction})";

    private CollectionOptions Options => CollectionOptions.None.WithValidator(Validator, ValidationLevel, ValidationAction);

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        var collection = catalog.Find(CollectionName)
            ?? throw new StepConflictException($"Cannot set the validator of '{CollectionName}': the collection does not exist.");
        return catalog.With(collection with { Options = collection.Options.WithValidator(Validator, ValidationLevel, ValidationAction) });
    }

    public IMigrationStep Inverse(SchemaCatalog before)
    {
        var previous = before.Get(CollectionName).Options;
        return new SetValidatorStep(CollectionName, previous.Validator, previous.ValidationLevel, previous.ValidationAction);
    }

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        await context.Database.RunCommandAsync<BsonDocument>(Command, cancellationToken: cancellationToken);
        return StepOutcome.Done(Description);
    }

    public MongoshStatements Mongosh(BatchOptions batching) => MongoshStatements.Of($"db.runCommand({MongoshSyntax.Value(Command)});");

    /// <summary>
    /// The <c>collMod</c> command the step sends, and shows. The driver has no typed collMod; this is the documented command shape.
    /// An empty validator removes it.
    /// </summary>
    public BsonDocument Command
    {
        get
        {
            var options = Options;
            return new BsonDocument
            {
                { "collMod", CollectionName },
                { "validator", options.Validator ?? new BsonDocument() },
                { "validationLevel", options.ValidationLevel ?? CollectionOptions.DefaultValidationLevel },
                { "validationAction", options.ValidationAction ?? CollectionOptions.DefaultValidationAction },
            };
        }
    }
}
