using BotCore.MigrationPortal.Engine.Phases;
using BotCore.MigrationPortal.Engine.Steps;

namespace BotCore.MigrationPortal.Engine;

/// <summary>A migration of this build with the source it was compiled from and that source's checksum.</summary>
public sealed record RegisteredMigration(Migration Definition, string Source, string Checksum)
{
    public SchemaVersion Version => Definition.Version;
    public string Description => Definition.Description;
    public string SourceFileName => Definition.SourceFileName;
    public IReadOnlyList<IMigrationStep> Steps => Definition.Steps;
    public IReadOnlyList<CriticalQuery> CriticalQueries => Definition.CriticalQueries;
    public bool IsDraft => Definition.IsDraft;
    public ExpandContractPhase? Phase => Definition.Phase;

    public string ShortChecksum => Checksum[..12];

    public static RegisteredMigration FromSource(Migration definition, string source) => new(definition, source, MigrationChecksum.Of(source));
}
