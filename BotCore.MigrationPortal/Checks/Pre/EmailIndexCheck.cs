using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;

namespace BotCore.MigrationPortal.Checks.Pre;

/// <summary>
/// The spec's pre-migration check 3: the critical unique email index is in place. It reads the catalog, so against a
/// simulated target it checks the simulated catalog. Before the migration that creates the index has been applied,
/// its absence is expected and the check does not apply.
/// </summary>
internal sealed class EmailIndexCheck : IIntegrityCheck
{
    public const string Id = "pre.email-index";
    private const string Collection = "users";
    private const string IndexName = "idx_users_email_unique";

    public CheckDescriptor Descriptor { get; } = new(Id, "Critical email index present",
        $"{Collection}.{IndexName} exists as its migration defines it, once that migration has been applied.",
        CheckPhase.PreMigration, CheckSeverity.Blocking);

    public Task<CheckFinding> RunAsync(CheckContext context, CancellationToken cancellationToken) => Task.FromResult(Check(context));

    private static CheckFinding Check(CheckContext context)
    {
        if (CreatedBy(context.Registry) is not { } created)
        {
            return CheckFinding.Pass($"does not apply: no migration of this build creates {Collection}.{IndexName}");
        }
        var (version, expected) = created;
        if (context.Plan.From < version)
        {
            return CheckFinding.Pass($"does not apply: the plan starts at {context.Plan.From}, before {version} creates {Collection}.{IndexName}");
        }
        var wanted = $"expected {CatalogJson.Inline(CatalogJson.ToBson(expected))}";
        return context.Live.Find(Collection)?.Indexes.GetValueOrDefault(IndexName) switch
        {
            null => CheckFinding.Fail($"{Collection}.{IndexName} is missing", wanted),
            var live when live != expected => CheckFinding.Fail($"{Collection}.{IndexName} differs from its definition", wanted,
                $"found {CatalogJson.Inline(CatalogJson.ToBson(live))}"),
            var live => CheckFinding.Pass($"{Collection}.{IndexName} is in place", CatalogJson.Inline(CatalogJson.ToBson(live))),
        };
    }

    /// <summary>The first version whose expected catalog has the index, and the index as it defines it.</summary>
    private static (SchemaVersion Version, IndexDefinition Index)? CreatedBy(MigrationRegistry registry) =>
        registry.Migrations
            .Select(m => (m.Version, Index: registry.ExpectedCatalogAt(m.Version).Find(Collection)?.Indexes.GetValueOrDefault(IndexName)))
            .Where(found => found.Index is not null)
            .Select(found => ((SchemaVersion, IndexDefinition)?)(found.Version, found.Index!))
            .FirstOrDefault();
}
