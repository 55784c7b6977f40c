using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>Maps the validation level and action names of <c>listCollections</c> to the driver's enums.</summary>
internal static class MongoValidation
{
    public static DocumentValidationLevel? Level(string? name) =>
        name is null ? null : Enum.Parse<DocumentValidationLevel>(name, ignoreCase: true);

    public static DocumentValidationAction? Action(string? name) =>
        name is null ? null : Enum.Parse<DocumentValidationAction>(name, ignoreCase: true);
}
