using BotCore.MigrationPortal.Checks.Post;
using BotCore.MigrationPortal.Checks.Pre;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Steps;

namespace BotCore.MigrationPortal.Checks;

/// <summary>
/// The checks a plan calls for, read from its steps: a duplicate-key check per unique index it creates, a violation
/// check per validator it sets, a scope check per data step, a parent check per step that adds nested fields, and an
/// index-usage check per critical query of the migrations at or below its target version. Down plans are covered too,
/// since their steps are the derived inverses.
/// </summary>
internal static class PlanDerivedChecks
{
    public static IEnumerable<IIntegrityCheck> PreMigration(MigrationPlan plan) =>
        plan.Migrations
            .SelectMany(migration => migration.Steps.SelectMany(planned => For(StepKey(migration, planned), planned)))
            // An index may be declared with its collection and again by a step of its own: one check per index is enough.
            .DistinctBy(check => check.Descriptor.Id);

    public static IEnumerable<IIntegrityCheck> PostMigration(MigrationPlan plan, MigrationRegistry registry) =>
        registry.Migrations
            .Where(migration => migration.Version <= plan.To)
            .SelectMany(migration => migration.CriticalQueries.Select((query, i) => (IIntegrityCheck)new CriticalQueryIndexCheck(migration.Version, i + 1, query)));

    /// <summary>The step's key as the runner writes it (version/direction/number), so a check names the step the run log shows.</summary>
    public static string StepKey(PlannedMigration migration, PlannedStep planned) => $"{migration.Version}/{migration.Direction.Name()}/{planned.Number}";

    private static IEnumerable<IIntegrityCheck> For(string stepKey, PlannedStep planned) => [.. ByKind(stepKey, planned), .. FieldParents(stepKey, planned.Step)];

    private static IEnumerable<IIntegrityCheck> ByKind(string stepKey, PlannedStep planned) => planned.Step switch
    {
        CreateIndexStep { Index.Unique: true } create => [new UniqueIndexDuplicatesCheck(create.CollectionName, create.Index)],
        CreateCollectionStep create => CreatedCollection(stepKey, create.Collection),
        SetValidatorStep { Validator: not null } set => [new ValidatorViolationsCheck(stepKey, set.CollectionName, planned.CatalogAfter.Get(set.CollectionName).Options)],
        { Kind: StepKind.Data } data when DataStepScope.Of(data) is { } scope => [new DataStepScopeCheck(stepKey, data.Description, scope)],
        _ => [],
    };

    /// <summary>A step that adds fields below parent paths fails on no document, but leaves those whose parent is not an object.</summary>
    private static IEnumerable<IIntegrityCheck> FieldParents(string stepKey, IMigrationStep step) =>
        step is AddFieldsStep add && !add.Parents.IsEmpty ? [new FieldParentsCheck(stepKey, add)] : [];

    /// <summary>A created collection that already exists with documents meets its validator and unique indexes like any other.</summary>
    private static IEnumerable<IIntegrityCheck> CreatedCollection(string stepKey, CollectionDefinition collection) =>
    [
        .. collection.Options.Validator is null ? [] : new IIntegrityCheck[] { new ValidatorViolationsCheck(stepKey, collection.Name, collection.Options) },
        .. collection.Indexes.Values.Where(index => index.Unique).Select(index => new UniqueIndexDuplicatesCheck(collection.Name, index)),
    ];
}
