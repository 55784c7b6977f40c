using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Tests.ExampleMigrations;
using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Unit.Shadow;

/// <summary>The portal's migrations and the example shadow rebuild of trades at 2.0.0, with its embedded source, as one registry.</summary>
internal static class ShadowExample
{
    public static MigrationRegistry Registry { get; } = new([
        .. EngineHarness.Migrations.Migrations,
        RegisteredMigration.FromSource(new TradesShadowRebuild(),
            MigrationChecksum.EmbeddedSource(typeof(ShadowExample).Assembly, "020_TradesShadowRebuild.cs")
            ?? throw new InvalidOperationException("020_TradesShadowRebuild.cs is not embedded in the test assembly.")),
    ]);
}
