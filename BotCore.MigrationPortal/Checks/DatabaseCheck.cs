using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks;

/// <summary>
/// A check that reads documents or runs a command on the database. A simulated target holds no documents and has no
/// storage engine or query planner, so there the check is simulated and says why, instead of passing as if it had looked.
/// </summary>
internal abstract class DatabaseCheck : IIntegrityCheck
{
    public const string NoDocuments = "sandbox: the simulated database holds no documents";

    public abstract CheckDescriptor Descriptor { get; }

    /// <summary>What the check reports against a simulated target.</summary>
    protected virtual string WhenSimulated => NoDocuments;

    public Task<CheckFinding> RunAsync(CheckContext context, CancellationToken cancellationToken) => context switch
    {
        { Database: { } database } => RunAsync(database, context, cancellationToken),
        { Target.IsSandbox: true } => Task.FromResult(CheckFinding.Simulated(WhenSimulated)),
        // Not proven is not passed: a target that hides its database cannot be vouched for.
        _ => Task.FromResult(CheckFinding.Fail($"target {context.Target.Name} gives no access to a MongoDB database, so this check cannot read it")),
    };

    protected abstract Task<CheckFinding> RunAsync(IMongoDatabase database, CheckContext context, CancellationToken cancellationToken);
}
