namespace BotCore.MigrationPortal.Tests.Integration.Hosting;

/// <summary>
/// The tests that host the whole portal in this process (a WebApplicationFactory). Hangfire keeps its storage in a process-wide
/// global (<c>JobStorage.Current</c>, set by <c>AddHangfire</c>): two portals in one process at the same time can queue a job into the
/// other's in-memory storage, whose server then runs it against the other portal's stores (a run's backup that never lands, seen in CI).
/// In one collection they run one after the other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class InProcessPortals
{
    public const string Name = "Portals hosted in this process (Hangfire's storage is process-wide)";
}
