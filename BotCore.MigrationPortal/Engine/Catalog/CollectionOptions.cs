using MongoDB.Bson;

namespace BotCore.MigrationPortal.Engine.Catalog;

/// <summary>
/// The options of a collection the migrations care about, in the shape <c>listCollections</c> reports them.
/// Always normalised: MongoDB reports <c>validationLevel: "strict"</c> and <c>validationAction: "error"</c>
/// for any collection with a validator, so an expected catalog and a live one compare equal.
/// </summary>
public sealed record CollectionOptions
{
    public const string DefaultValidationLevel = "strict";
    public const string DefaultValidationAction = "error";

    public static CollectionOptions None { get; } = new(null, null, null, null, null);

    public CollectionOptions(
        BsonDocument? validator,
        string? validationLevel = null,
        string? validationAction = null,
        TimeSeriesDefinition? timeSeries = null,
        long? expireAfterSeconds = null)
    {
        Validator = validator is { ElementCount: > 0 } ? validator : null;
        ValidationLevel = Validator is null && validationLevel == DefaultValidationLevel ? null
            : validationLevel ?? (Validator is null ? null : DefaultValidationLevel);
        ValidationAction = Validator is null && validationAction == DefaultValidationAction ? null
            : validationAction ?? (Validator is null ? null : DefaultValidationAction);
        TimeSeries = timeSeries;
        ExpireAfterSeconds = expireAfterSeconds;
    }

    public BsonDocument? Validator { get; }
    public string? ValidationLevel { get; }
    public string? ValidationAction { get; }
    public TimeSeriesDefinition? TimeSeries { get; }
    public long? ExpireAfterSeconds { get; }

    public CollectionOptions WithValidator(BsonDocument? validator, string? level = null, string? action = null) =>
        new(validator, level, action, TimeSeries, ExpireAfterSeconds);
}
