using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Pre;

/// <summary>
/// For a step that adds fields below parent paths: the documents whose parent exists and is not an object (null, a scalar, an
/// array). <c>$set</c> cannot create a field inside them; the step leaves them without the fields, so the run is blocked until
/// they are corrected, and their ids are shown. It selects them as the step does (the aggregation <c>$type</c>, which tells an
/// array from an object), so what it finds is exactly what the step would leave.
/// </summary>
internal sealed class FieldParentsCheck(string stepKey, AddFieldsStep step)
    : OffendingDocumentsCheck(step.CollectionName, $"have a {string.Join(" or ", step.Parents.Paths)} that is not an object (null, a scalar or an array)",
        $"has a {string.Join(" or ", step.Parents.Paths)} that is not an object (null, a scalar or an array)")
{
    public const string IdPrefix = "pre.field-parents:";

    public override CheckDescriptor Descriptor { get; } = new($"{IdPrefix}{stepKey}",
        $"Parents of the fields step {stepKey} adds are objects ({step.CollectionName})",
        $"Documents of {step.CollectionName} whose {string.Join(" or ", step.Parents.Paths)} exists and is not an object: " +
        $"$set cannot add {string.Join(", ", step.Defaults.Names)} inside them, so step {stepKey} leaves them as they are.",
        CheckPhase.PreMigration, CheckSeverity.Blocking);

    protected override FilterDefinition<BsonDocument> Offending => step.Refused;

    protected override IReadOnlyList<string> Shown => step.Parents.Roots;
}
