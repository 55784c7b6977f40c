using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Tests.ExampleMigrations;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>
/// The spec's four migrations and the expand-contract example (1.4.0 expand, 1.5.0 contract of "rename trades.qty to trades.quantity"),
/// which live in this test assembly, with their sources embedded under <c>migrations/</c> as the portal embeds its own.
/// </summary>
internal static class ExpandContractExamples
{
    public const string Expand = "1.4.0";
    public const string Contract = "1.5.0";

    public static MigrationRegistry Registry { get; } = new([.. EngineHarness.Migrations.Migrations, Of(new TradesQuantityExpand()), Of(new TradesQuantityContract())]);

    public static RegisteredMigration Of(Migration migration) =>
        RegisteredMigration.FromSource(migration, MigrationChecksum.EmbeddedSource(typeof(ExpandContractExamples).Assembly, migration.SourceFileName)
            ?? throw new InvalidOperationException($"{migration.SourceFileName} is not embedded in the test assembly."));
}
